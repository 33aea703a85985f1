import { fingerprint, type Logger } from '../log';
import { isOAuthError } from '../oauth';
import type { AuthUi } from './authProvider';
import { SIGN_IN_TIMEOUT_MS } from './authProvider';
import type { OAuthClientPort, RedirectChoice } from './oauthPort';
import { isRemoteMcpSession } from './sessionResources';
import type { LensesSettings } from './settings';
import { describeSignInError } from './userMessages';

export interface RemoteMcpSessionDeps {
  oauth: OAuthClientPort;
  settings(): LensesSettings;
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

  /** An access token for `mcpUrl`, signing in if needed; undefined when declined or failed (already shown). */
  async accessToken(mcpUrl: string): Promise<string | undefined> {
    const { oauth, logger, ui } = this.deps;
    const stored = (await oauth.sessions()).filter((session) => isRemoteMcpSession(session, mcpUrl)).at(-1);
    if (stored) {
      try {
        return (await oauth.validSession(stored.id)).accessToken;
      } catch (error) {
        if (!isOAuthError(error, 'session_expired')) throw error;
        logger.warn('The remote Lenses MCP session ended; signing in again');
      }
    }
    try {
      const settings = this.deps.settings();
      const redirect = await this.deps.redirect();
      const session = await ui.withSignInProgress((signal) =>
        oauth.signIn({ hqUrl: settings.url, mcpUrl, scopes: settings.scopes, signal, redirect, timeoutMs: SIGN_IN_TIMEOUT_MS }),
      );
      logger.info(`Signed in for the remote Lenses MCP server ${mcpUrl}: token ${fingerprint(session.accessToken)}`);
      return session.accessToken;
    } catch (error) {
      const message = describeSignInError(error);
      if (message) {
        logger.error(`Sign-in for ${mcpUrl} failed: ${error instanceof Error ? error.message : String(error)}`);
        ui.showMessage('error', message);
      }
      return undefined;
    }
  }
}
