import type * as vscode from 'vscode';
import type { Logger } from '../log';
import { Emitter } from './emitter';
import type { EmbeddedServerController } from './embeddedServer';
import { RemoteMcpRefusedError, type RemoteToken } from './remoteMcpSession';
import { SETTING, type LensesSettings } from './settings';

/** The MCP server definition provider id (package.json `contributes.mcpServerDefinitionProviders`). */
export const MCP_PROVIDER_ID = 'lenses';
export const MCP_SERVER_LABEL = 'Lenses';

/** Provided before the server runs; `resolveMcpServerDefinition` returns the real URL (VSCODE-E2E.md). */
export const PLACEHOLDER_MCP_URL = 'http://127.0.0.1/mcp';

/** How long before expiry the remote server's bearer is renewed. */
export const REMOTE_RENEW_MARGIN_MS = 2 * 60_000;

function defaultTimer(run: () => void, delayMs: number): { dispose(): void } {
  const timer = setTimeout(run, delayMs);
  timer.unref?.();
  return { dispose: () => clearTimeout(timer) };
}

/** Builds an HTTP MCP server definition (`new vscode.McpHttpServerDefinition(…)` in the editor). */
export type CreateHttpDefinition<D> = (label: string, url: string, headers: Record<string, string>) => D;

export interface McpProviderDeps<D> {
  settings(): LensesSettings;
  server: Pick<EmbeddedServerController, 'ensureStarted' | 'notifyToolsChanged' | 'stop' | 'hqUrlChanged'>;
  /** Silent: is there a session (with whatever scopes were granted)? */
  hasSession(): Promise<boolean>;
  /** Asks to sign in (`getSession(…, { createIfNone: true })`); false when the user declined. */
  ensureSession(): Promise<boolean>;
  /** An access token for the remote Lenses MCP server's own resource (`lenses.mcp.url`); undefined when declined. */
  remoteAccessToken(mcpUrl: string): Promise<RemoteToken | undefined>;
  /** Timers (injectable for tests): the remote bearer is renewed shortly before it expires. */
  setTimer?: (run: () => void, delayMs: number) => { dispose(): void };
  now?(): number;
  createDefinition: CreateHttpDefinition<D>;
  logger: Logger;
}

/**
 * Offers one MCP server, "Lenses": the embedded server (started on first resolve, link
 * secret header) or the remote one of `lenses.mcp.url` (bearer header). Session changes
 * only refresh the tool list; the definition change event fires only when the definition
 * itself changes, because firing it stops a running server.
 */
export class LensesMcpServerProvider<D> {
  private readonly changes = new Emitter<void>();
  private renewal: { dispose(): void } | undefined;
  /** Why the remote server got no sign-in (CL-16): shown beside its name in "MCP: List Servers". */
  private remoteRefusal: string | undefined;
  readonly onDidChangeMcpServerDefinitions: vscode.Event<void> = this.changes.event;

  constructor(private readonly deps: McpProviderDeps<D>) {}

  /** Never prompts: a placeholder until resolve. */
  provideMcpServerDefinitions(): D[] {
    const { mcpUrl } = this.deps.settings();
    const label = mcpUrl && this.remoteRefusal ? `${MCP_SERVER_LABEL} (${this.remoteRefusal})` : MCP_SERVER_LABEL;
    return [this.deps.createDefinition(label, mcpUrl || PLACEHOLDER_MCP_URL, {})];
  }

  /** Signs in if needed, then starts (or reuses) the server; undefined keeps VS Code from starting it. */
  async resolveMcpServerDefinition(_server: D): Promise<D | undefined> {
    const { logger } = this.deps;
    const settings = this.deps.settings();
    if (settings.mcpUrl) {
      let token: RemoteToken | undefined;
      try {
        token = await this.deps.remoteAccessToken(settings.mcpUrl);
      } catch (error) {
        if (!(error instanceof RemoteMcpRefusedError)) throw error;
        logger.info(`Not starting the remote Lenses MCP server: ${error.message}`);
        // The label is all "MCP: List Servers" shows of a provider's server: say why there.
        if (this.remoteRefusal !== error.summary) {
          this.remoteRefusal = error.summary;
          this.changes.fire();
        }
        return undefined;
      }
      // A later confirmation: the label catches up at the next definition change (the renewal), not now, which would stop the server.
      this.remoteRefusal = undefined;
      if (!token) {
        logger.info('Not starting the remote Lenses MCP server: no session');
        return undefined;
      }
      this.renewBefore(token.expiresAt);
      return this.deps.createDefinition(MCP_SERVER_LABEL, settings.mcpUrl, { Authorization: `Bearer ${token.accessToken}` });
    }
    // A session granted fewer scopes than configured still counts: asking again would loop.
    if (!(await this.deps.hasSession()) && !(await this.deps.ensureSession())) {
      logger.info('Not starting the Lenses MCP server: sign-in declined');
      return undefined;
    }
    const lensesUrl = this.deps.settings().url;
    if (!lensesUrl) return undefined;
    const endpoint = await this.deps.server.ensureStarted(lensesUrl);
    return this.deps.createDefinition(MCP_SERVER_LABEL, endpoint.url, endpoint.headers);
  }

  /** Sign-in, sign-out or new scopes: the tools change, the definition does not. */
  sessionsChanged(): void {
    this.deps.server.notifyToolsChanged();
  }

  /**
   * `lenses.mcp.url` changed (a switch to or from a remote server, or another one): the
   * definition changes. `lenses.url` alone: the embedded server keeps serving (each session
   * names its HQ), so VS Code keeps its connection (no refused connection in MCP: List
   * Servers, no Start Server by hand) and lists the new HQ's tools.
   */
  async configurationChanged(affects: (section: string) => boolean): Promise<void> {
    if (affects(SETTING.mcpUrl)) {
      await this.deps.server.stop();
      this.remoteRefusal = undefined;
      this.deps.logger.info('Lenses MCP server definition changed');
      this.changes.fire();
      return;
    }
    if (affects(SETTING.url) && !this.deps.settings().mcpUrl) this.deps.server.hqUrlChanged();
  }

  /**
   * The remote definition carries its bearer as a header, which VS Code keeps until the
   * definition changes: fire the change shortly before expiry so the next use resolves again
   * with a refreshed token (a 401 would start VS Code's own OAuth dialog instead).
   */
  private renewBefore(expiresAt: number): void {
    this.renewal?.dispose();
    const now = this.deps.now?.() ?? Date.now();
    // setTimeout fires at once past 2^31-1 ms: clamp (tokens live hours, not weeks).
    const delay = Math.min(Math.max(0, expiresAt - now - REMOTE_RENEW_MARGIN_MS), 2 ** 31 - 1);
    const setTimer = this.deps.setTimer ?? defaultTimer;
    this.renewal = setTimer(() => {
      this.renewal = undefined;
      this.deps.logger.info('Renewing the remote Lenses MCP server token');
      this.changes.fire();
    }, delay);
  }

  dispose(): void {
    this.renewal?.dispose();
    this.changes.dispose();
  }
}
