import { fingerprint, type Logger } from '../log';
import { errorMessage } from '../errors';
import { isOAuthError } from '../oauth';
import type { AuthUi } from './authProvider';
import { SIGN_IN_TIMEOUT_MS } from './authProvider';
import type { OAuthClientPort, RedirectChoice } from './oauthPort';
import { isRemoteMcpSession } from './sessionResources';
import { SETTING, type LensesSettings } from './settings';
import { describeSignInError } from './userMessages';

/** A bearer for the remote Lenses MCP server and its expiry (epoch ms). */
export interface RemoteToken {
  accessToken: string;
  expiresAt: number;
}

export interface RemoteMcpSessionDeps {
  oauth: OAuthClientPort;
  settings(): LensesSettings;
  /** RFC 9728 discovery of the remote server's authorization server (`discoverFromResource`). */
  discoverIssuer(mcpUrl: string): Promise<string>;
  ui: AuthUi;
  redirect(): Promise<RedirectChoice | undefined>;
  logger: Logger;
}

/**
 * Tokens for a remote Lenses MCP server (`lenses.mcp.url`): a session for that server's own
 * resource, found through its RFC 9728 metadata by the OAuth core (`signIn({ mcpUrl })`),
 * refreshed silently, signed in interactively only when there is none.
 */
export class RemoteMcpSessions {
  constructor(private readonly deps: RemoteMcpSessionDeps) {}

  /** An access token for `mcpUrl` and when it expires, signing in if needed; undefined when declined or failed (already shown). */
  async accessToken(mcpUrl: string): Promise<RemoteToken | undefined> {
    const { oauth, logger, ui } = this.deps;
    const stored = (await oauth.sessions()).filter((session) => isRemoteMcpSession(session, mcpUrl)).at(-1);
    if (stored) {
      try {
        const valid = await oauth.validSession(stored.id);
        return { accessToken: valid.accessToken, expiresAt: valid.expiresAt };
      } catch (error) {
        if (!isOAuthError(error, 'session_expired')) throw error;
        logger.warn('The remote Lenses MCP session ended; signing in again');
      }
    }
    try {
      const settings = this.deps.settings();
      if (!(await this.trusts(mcpUrl, settings.url))) return undefined;
      const redirect = await this.deps.redirect();
      const session = await ui.withSignInProgress((signal) =>
        oauth.signIn({ hqUrl: settings.url, mcpUrl, scopes: settings.scopes, signal, redirect, timeoutMs: SIGN_IN_TIMEOUT_MS }),
      );
      logger.info(`Signed in for the remote Lenses MCP server ${mcpUrl}: token ${fingerprint(session.accessToken)}`);
      return { accessToken: session.accessToken, expiresAt: session.expiresAt };
    } catch (error) {
      const message = describeSignInError(error);
      if (message) {
        logger.error(`Sign-in for ${mcpUrl} failed: ${errorMessage(error)}`);
        ui.showMessage('error', message);
      }
      return undefined;
    }
  }

  /**
   * Signs in for a remote server only when it names the user's own Lenses HQ as its
   * authorization server: otherwise a `lenses.mcp.url` from a workspace could collect a
   * token the user granted at HQ for a server HQ never vouched for.
   */
  private async trusts(mcpUrl: string, lensesUrl: string): Promise<boolean> {
    const { ui, logger } = this.deps;
    if (!lensesUrl) {
      ui.showMessage('error', { text: 'Set lenses.url to your Lenses HQ before using a remote Lenses MCP server (lenses.mcp.url).', actions: ['openSettings'], setting: SETTING.url });
      return false;
    }
    const issuer = await this.deps.discoverIssuer(mcpUrl);
    if (sameOrigin(issuer, lensesUrl)) return true;
    logger.warn(`The Lenses MCP server ${mcpUrl} names ${issuer} as its authorization server, not ${lensesUrl}: not signing in`);
    ui.showMessage('error', {
      text: `The Lenses MCP server at ${mcpUrl} trusts ${issuer}, not your Lenses HQ (${lensesUrl}), so Lenses will not sign in to it. Check lenses.mcp.url.`,
      actions: ['openSettings', 'showLogs'],
      setting: SETTING.mcpUrl,
    });
    return false;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    const left = new URL(a);
    const right = new URL(b);
    return left.origin === right.origin && left.pathname.replace(/\/+$/, '') === right.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}
