import { errorMessage } from '../errors';
import { assertBearerAllowed, originOf, type BearerOrigins } from '../http';
import { fingerprint, type Logger } from '../log';
import { isOAuthError } from '../oauth';
import type { AuthUi } from './authProvider';
import { SIGN_IN_TIMEOUT_MS } from './authProvider';
import type { OAuthClientPort, RedirectChoice } from './oauthPort';
import type { RemoteMcpConfirmations } from './remoteMcpConfirmations';
import { isRemoteMcpSession } from './sessionResources';
import { SETTING, type LensesSettings } from './settings';
import { describeSignInError } from './userMessages';

/** A bearer for the remote Lenses MCP server and its expiry (epoch ms). */
export interface RemoteToken {
  accessToken: string;
  expiresAt: number;
}

/**
 * No Lenses sign-in goes to this remote MCP server (CL-16). `summary` is the few words
 * "MCP: List Servers" shows beside the server's name; `message` the full sentence for the log.
 */
export class RemoteMcpRefusedError extends Error {
  override readonly name = 'RemoteMcpRefusedError';
  constructor(message: string, readonly summary: string) {
    super(message);
  }
}

export interface RemoteMcpSessionDeps {
  oauth: OAuthClientPort;
  settings(): LensesSettings;
  /** `lenses.url` and `lenses.mcp.url` as the user set them (user settings only, never a workspace's). */
  userSettings(): { hqUrl: string; mcpUrl: string };
  confirmations: Pick<RemoteMcpConfirmations, 'confirm'>;
  /** The one bearer rule (src/http): the user-level HQ origin plus confirmed MCP origins. */
  bearerOrigins: BearerOrigins;
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
 *
 * A token goes to the server only when its URL is the user-level `lenses.mcp.url` and the
 * user confirmed its origin once in a modal (CL-16); otherwise `RemoteMcpRefusedError`.
 */
export class RemoteMcpSessions {
  constructor(private readonly deps: RemoteMcpSessionDeps) {}

  /**
   * An access token for `mcpUrl` and when it expires, signing in if needed; undefined when the
   * sign-in was declined or failed (already shown). Throws `RemoteMcpRefusedError` when no
   * token may go to `mcpUrl` (not the user-level setting, not confirmed): the MCP provider
   * shows why in the server's label.
   */
  async accessToken(mcpUrl: string): Promise<RemoteToken | undefined> {
    const { ui } = this.deps;
    const user = this.deps.userSettings();
    if (!user.hqUrl) {
      ui.showMessage('error', { text: 'Set lenses.url in your user settings to your Lenses HQ before using a remote Lenses MCP server (lenses.mcp.url).', actions: ['openSettings'], setting: SETTING.url });
      return undefined;
    }
    if (originOf(mcpUrl) === undefined || originOf(mcpUrl) !== originOf(user.mcpUrl)) {
      throw this.refused(`Lenses sends no sign-in to ${mcpUrl}: lenses.mcp.url is read from your user settings only, and there it is ${user.mcpUrl ? `"${user.mcpUrl}"` : 'not set'}.`, 'lenses.mcp.url must be in user settings');
    }
    if (!(await this.deps.confirmations.confirm(mcpUrl, user.hqUrl))) {
      throw this.refused(`Lenses sends no sign-in to ${originOf(mcpUrl)}: you did not confirm it. Start the server again to be asked again.`, `sign-in not sent to ${new URL(mcpUrl).host}: not confirmed`);
    }
    const token = await this.tokenFor(mcpUrl, user.hqUrl);
    if (token) this.assertMayReceive(mcpUrl);
    return token;
  }

  private async tokenFor(mcpUrl: string, hqUrl: string): Promise<RemoteToken | undefined> {
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
      if (!(await this.trusts(mcpUrl, hqUrl))) return undefined;
      const redirect = await this.deps.redirect();
      const session = await ui.withSignInProgress((signal) =>
        oauth.signIn({ hqUrl, mcpUrl, scopes: settings.scopes, signal, redirect, timeoutMs: SIGN_IN_TIMEOUT_MS }),
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

  /** The last word before a token leaves: the same rule every outbound request passes. */
  private assertMayReceive(mcpUrl: string): void {
    try {
      assertBearerAllowed(new URL(mcpUrl), this.deps.bearerOrigins);
    } catch (error) {
      throw this.refused(errorMessage(error), `sign-in not sent to ${new URL(mcpUrl).host}`);
    }
  }

  private refused(reason: string, summary: string): RemoteMcpRefusedError {
    this.deps.logger.warn(reason);
    return new RemoteMcpRefusedError(reason, summary);
  }

  /**
   * Signs in for a remote server only when it names the user's own Lenses HQ as its
   * authorization server: otherwise a `lenses.mcp.url` from a workspace could collect a
   * token the user granted at HQ for a server HQ never vouched for.
   */
  private async trusts(mcpUrl: string, lensesUrl: string): Promise<boolean> {
    const { ui, logger } = this.deps;
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
