import { errorMessage } from '../../errors';
import { assertBearerAllowed, originOf, type BearerOrigins } from '../../http';
import { fingerprint, type Logger } from '../../log';
import { isOAuthError, parseBearerChallenge, StepUpAttempts, type ResourceProbeAnswer } from '../../oauth';
import type { AuthUi } from '../account/authProvider';
import { SIGN_IN_TIMEOUT_MS } from '../account/authProvider';
import type { LensesSession, OAuthClientPort, RedirectChoice } from '../account/oauthPort';
import type { RemoteMcpConfirmations } from './remoteMcpConfirmations';
import { isRemoteMcpSession } from '../account/sessionResources';
import { SETTING, type LensesSettings } from '../settings';
import { describeSignInError } from '../userMessages';

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
  constructor(
    message: string,
    readonly summary: string,
  ) {
    super(message);
  }
}

export interface RemoteMcpSessionDependencies {
  oauth: OAuthClientPort;
  settings(): LensesSettings;
  /** `lenses.url` and `lenses.mcp.url` as the user set them (user settings only, never a workspace's). */
  userSettings(): { hqUrl: string; mcpUrl: string };
  confirmations: Pick<RemoteMcpConfirmations, 'confirm' | 'isConfirmed'>;
  /** The one bearer rule (src/http): the user-level HQ origin plus confirmed MCP origins. */
  bearerOrigins: BearerOrigins;
  /** RFC 9728 discovery of the remote server's authorization server (`discoverFromResource`). */
  discoverIssuer(mcpUrl: string): Promise<string>;
  ui: AuthUi;
  redirect(): Promise<RedirectChoice | undefined>;
  logger: Logger;
  /**
   * An MCP `initialize` POST to the remote server with this token (`probeResource` of
   * src/oauth, through the HTTP core): the one place the extension sees the server's 403
   * challenges, since VS Code's own MCP client makes every other request. Omitted: no probe.
   */
  probe?(mcpUrl: string, accessToken: string): Promise<ResourceProbeAnswer>;
  /** The remote token changed outside a resolve (step-up, new scopes): VS Code must take the new definition. */
  tokenChanged?(): void;
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
  private readonly stepUps = new StepUpAttempts();

  constructor(private readonly dependencies: RemoteMcpSessionDependencies) {}

  /**
   * An access token for `mcpUrl` and when it expires, signing in if needed; undefined when the
   * sign-in was declined or failed (already shown). Throws `RemoteMcpRefusedError` when no
   * token may go to `mcpUrl` (not the user-level setting, not confirmed): the MCP provider
   * shows why in the server's label.
   */
  async accessToken(mcpUrl: string): Promise<RemoteToken | undefined> {
    const { ui } = this.dependencies;
    const user = this.dependencies.userSettings();
    if (!user.hqUrl) {
      ui.showMessage('error', {
        text: 'Set lenses.url in your user settings to your Lenses HQ before using a remote Lenses MCP server (lenses.mcp.url).',
        actions: ['openSettings'],
        setting: SETTING.url,
      });
      return undefined;
    }
    if (originOf(mcpUrl) === undefined || originOf(mcpUrl) !== originOf(user.mcpUrl)) {
      throw this.refused(
        `Lenses sends no sign-in to ${mcpUrl}: lenses.mcp.url is read from your user settings only, and there it is ${user.mcpUrl ? `"${user.mcpUrl}"` : 'not set'}.`,
        'lenses.mcp.url must be in user settings',
      );
    }
    if (!(await this.dependencies.confirmations.confirm(mcpUrl, user.hqUrl))) {
      throw this.refused(
        `Lenses sends no sign-in to ${originOf(mcpUrl)}: you did not confirm it. Start the server again to be asked again.`,
        `sign-in not sent to ${new URL(mcpUrl).host}: not confirmed`,
      );
    }
    const token = await this.tokenFor(mcpUrl, user.hqUrl);
    if (!token) return undefined;
    this.assertMayReceive(mcpUrl);
    return (await this.checked(mcpUrl, user.hqUrl, token)) ?? token;
  }

  /**
   * Silent: the token for `mcpUrl` when nothing needs asking (the user-level setting, an origin
   * confirmed before, a stored session, refreshed if due), so the provided definition can carry
   * it; undefined otherwise. Never asks, never signs in, never probes.
   */
  async storedAccessToken(mcpUrl: string): Promise<RemoteToken | undefined> {
    const user = this.dependencies.userSettings();
    if (!user.hqUrl || originOf(mcpUrl) === undefined || originOf(mcpUrl) !== originOf(user.mcpUrl)) return undefined;
    if (!this.dependencies.confirmations.isConfirmed(mcpUrl)) return undefined;
    const stored = await this.storedSession(mcpUrl);
    if (!stored) return undefined;
    let valid: LensesSession;
    try {
      valid = await this.dependencies.oauth.validSession(stored.id);
    } catch (error) {
      if (isOAuthError(error, 'session_expired')) return undefined;
      throw error;
    }
    this.assertMayReceive(mcpUrl);
    return { accessToken: valid.accessToken, expiresAt: valid.expiresAt };
  }

  /**
   * Step-up for a 403 `insufficient_scope` the remote server answered (`challenge` is its
   * `WWW-Authenticate` value): one re-authorization asking the union of the held and the
   * challenged scopes, never the same one twice in a row, nothing for a challenge of scopes
   * already held (no loop). Returns the new token, or undefined when nothing was done or the
   * sign-in failed (already shown). VS Code then gets the new bearer (`tokenChanged`).
   */
  async stepUp(mcpUrl: string, challenge: string): Promise<RemoteToken | undefined> {
    const user = this.dependencies.userSettings();
    if (!user.hqUrl || originOf(mcpUrl) === undefined || originOf(mcpUrl) !== originOf(user.mcpUrl)) return undefined;
    const held = await this.storedSession(mcpUrl);
    const plan = this.stepUps.plan(originOf(mcpUrl) ?? mcpUrl, heldScopes(held), parseBearerChallenge(challenge));
    if (plan.kind === 'refused') {
      this.dependencies.logger.warn(`No step-up for the remote Lenses MCP server ${mcpUrl}: ${plan.reason}`);
      return undefined;
    }
    this.dependencies.logger.info(`The remote Lenses MCP server ${mcpUrl} needs more scopes: signing in again for "${plan.scopes.join(' ')}"`);
    return this.reauthorize(mcpUrl, user.hqUrl, held, { challenge, heldScopes: heldScopes(held) });
  }

  /**
   * A new sign-in for the remote server asking exactly `scopes` (the flow "Change Granted
   * Scopes…" runs for it); the earlier session is forgotten once the new one is stored.
   */
  async changeScopes(mcpUrl: string, scopes: readonly string[]): Promise<RemoteToken | undefined> {
    const user = this.dependencies.userSettings();
    if (!user.hqUrl || originOf(mcpUrl) === undefined || originOf(mcpUrl) !== originOf(user.mcpUrl)) return undefined;
    return this.reauthorize(mcpUrl, user.hqUrl, await this.storedSession(mcpUrl), { scopes });
  }

  /**
   * Probes the server with the token before VS Code gets it: a 403 `insufficient_scope`
   * (a server that needs a scope for `initialize` itself) steps up once. Any failure of the
   * probe keeps the token: VS Code's own request will say what is wrong.
   */
  private async checked(mcpUrl: string, hqUrl: string, token: RemoteToken): Promise<RemoteToken | undefined> {
    if (!this.dependencies.probe) return undefined;
    let answer: ResourceProbeAnswer;
    try {
      answer = await this.dependencies.probe(mcpUrl, token.accessToken);
    } catch (error) {
      this.dependencies.logger.debug(`Could not probe the remote Lenses MCP server ${mcpUrl}: ${errorMessage(error)}`);
      return undefined;
    }
    if (answer.status !== 403 || answer.challenge?.error !== 'insufficient_scope' || !answer.header) {
      if (answer.status < 400) this.stepUps.succeeded(originOf(mcpUrl) ?? mcpUrl);
      return undefined;
    }
    const held = await this.storedSession(mcpUrl);
    const plan = this.stepUps.plan(originOf(mcpUrl) ?? mcpUrl, heldScopes(held), answer.challenge);
    if (plan.kind === 'refused') {
      this.dependencies.logger.warn(`The remote Lenses MCP server ${mcpUrl} refused the token (insufficient_scope); no step-up: ${plan.reason}`);
      return undefined;
    }
    this.dependencies.logger.info(`The remote Lenses MCP server ${mcpUrl} needs more scopes to connect: signing in again for "${plan.scopes.join(' ')}"`);
    const stepped = await this.reauthorize(mcpUrl, hqUrl, held, { challenge: answer.header, heldScopes: heldScopes(held) }, false);
    if (stepped) this.assertMayReceive(mcpUrl);
    return stepped;
  }

  /** A failed interactive sign-in: the detail to the log, one message naming what to do (silent on cancel). */
  private signInFailed(mcpUrl: string, hqUrl: string, error: unknown): undefined {
    const message = describeSignInError(error, hqUrl);
    if (message) {
      this.dependencies.logger.error(`Sign-in for ${mcpUrl} failed: ${errorMessage(error)}`);
      this.dependencies.ui.showMessage('error', message);
    }
    return undefined;
  }

  private async storedSession(mcpUrl: string): Promise<LensesSession | undefined> {
    return (await this.dependencies.oauth.sessions()).filter((session) => isRemoteMcpSession(session, mcpUrl)).at(-1);
  }

  /** One interactive sign-in for the remote server; the earlier session goes once the new one is stored. */
  private async reauthorize(
    mcpUrl: string,
    hqUrl: string,
    previous: LensesSession | undefined,
    ask: { scopes?: readonly string[]; challenge?: string; heldScopes?: readonly string[] },
    announce = true,
  ): Promise<RemoteToken | undefined> {
    const { oauth, logger, ui } = this.dependencies;
    try {
      if (!(await this.trusts(mcpUrl, hqUrl))) return undefined;
      const redirect = await this.dependencies.redirect();
      const session = await ui.withSignInProgress((signal) => oauth.signIn({ hqUrl, mcpUrl, ...ask, signal, redirect, timeoutMs: SIGN_IN_TIMEOUT_MS }));
      if (previous && previous.id !== session.id) await oauth.forget(previous.id);
      logger.info(
        `Signed in again for the remote Lenses MCP server ${mcpUrl} with "${heldScopes(session).join(' ')}": token ${fingerprint(session.accessToken)}`,
      );
      if (announce) this.dependencies.tokenChanged?.();
      return { accessToken: session.accessToken, expiresAt: session.expiresAt };
    } catch (error) {
      return this.signInFailed(mcpUrl, hqUrl, error);
    }
  }

  private async tokenFor(mcpUrl: string, hqUrl: string): Promise<RemoteToken | undefined> {
    const { oauth, logger, ui } = this.dependencies;
    const stored = await this.storedSession(mcpUrl);
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
      if (!(await this.trusts(mcpUrl, hqUrl))) return undefined;
      const redirect = await this.dependencies.redirect();
      // No scopes from the Lenses setting: the core asks what the server's challenge names, else its scopes_supported, else none.
      const session = await ui.withSignInProgress((signal) => oauth.signIn({ hqUrl, mcpUrl, signal, redirect, timeoutMs: SIGN_IN_TIMEOUT_MS }));
      logger.info(`Signed in for the remote Lenses MCP server ${mcpUrl}: token ${fingerprint(session.accessToken)}`);
      return { accessToken: session.accessToken, expiresAt: session.expiresAt };
    } catch (error) {
      return this.signInFailed(mcpUrl, hqUrl, error);
    }
  }

  /** The last word before a token leaves: the same rule every outbound request passes. */
  private assertMayReceive(mcpUrl: string): void {
    try {
      assertBearerAllowed(new URL(mcpUrl), this.dependencies.bearerOrigins);
    } catch (error) {
      throw this.refused(errorMessage(error), `sign-in not sent to ${new URL(mcpUrl).host}`);
    }
  }

  private refused(reason: string, summary: string): RemoteMcpRefusedError {
    this.dependencies.logger.warn(reason);
    return new RemoteMcpRefusedError(reason, summary);
  }

  /**
   * Signs in for a remote server only when it names the user's own Lenses HQ as its
   * authorization server: otherwise a `lenses.mcp.url` from a workspace could collect a
   * token the user granted at HQ for a server HQ never vouched for.
   */
  private async trusts(mcpUrl: string, lensesUrl: string): Promise<boolean> {
    const { ui, logger } = this.dependencies;
    const issuer = await this.dependencies.discoverIssuer(mcpUrl);
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

/** Every scope string a session was granted (the Lenses view drops others). */
function heldScopes(session: LensesSession | undefined): string[] {
  return session ? [...(session.grantedScopes ?? session.scopes)] : [];
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
