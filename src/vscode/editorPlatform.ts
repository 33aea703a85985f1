import * as vscode from 'vscode';
import type { SecretStore } from '../oauth';
import type { RedirectChoice } from './account/oauthPort';
import type { CopyFileSystem } from './mcp/standaloneServerCopy';
import { AUTH_CALLBACK_PATH, type AuthCallbackHandler } from './account/uriCallback';

/** VS Code's SecretStorage as the OAuth core's `SecretStore`. */
export function secretStoreOf(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}

/**
 * Opens a URL in the system browser as it is. A string, not a Uri: `Uri.parse` decodes the
 * query and encodes it again, which breaks an already-encoded `redirect_uri` (VS Code's own
 * authentication extensions pass the string too).
 */
export function openInBrowser(url: string): Thenable<boolean> {
  return vscode.env.openExternal(url as unknown as vscode.Uri);
}

/**
 * Where the browser comes back after sign-in: undefined (a loopback listener) on the desktop;
 * in remote and web windows, which cannot reach a loopback port on the remote machine, a
 * `vscode://<extension>/auth-callback` URI made external by VS Code.
 */
export async function redirectForWindow(extensionId: string, callbacks: AuthCallbackHandler): Promise<RedirectChoice | undefined> {
  if (!vscode.env.remoteName && vscode.env.uiKind !== vscode.UIKind.Web) return undefined;
  const callback = vscode.Uri.parse(`${vscode.env.uriScheme}://${extensionId}${AUTH_CALLBACK_PATH}`);
  // toString(true): unencoded, so the redirect URI registered and sent is the one the browser comes back to.
  return callbacks.strategy((await vscode.env.asExternalUri(callback)).toString(true));
}

/** `vscode.workspace.fs` for plain paths. */
export const workspaceFileSystem: CopyFileSystem = {
  createDirectory: async (path) => vscode.workspace.fs.createDirectory(vscode.Uri.file(path)),
  copy: async (from, to) => vscode.workspace.fs.copy(vscode.Uri.file(from), vscode.Uri.file(to), { overwrite: true }),
  exists: async (path) =>
    vscode.workspace.fs.stat(vscode.Uri.file(path)).then(
      () => true,
      () => false,
    ),
};

/** Asks VS Code for a Lenses session, signing in if there is none; false when declined or failed. */
export async function ensureSessionThroughVsCode(providerId: string, scopes: readonly string[]): Promise<boolean> {
  try {
    return (await vscode.authentication.getSession(providerId, scopes, { createIfNone: true })) !== undefined;
  } catch {
    return false;
  }
}
