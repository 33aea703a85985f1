import type * as vscode from 'vscode';
import { fingerprint, type Logger } from '../../log';
import { isScope, parseScopes, type Scope } from '../../scopes';
import { Emitter } from '../emitter';
import { isOAuthError } from '../../oauth';
import { errorCode, type LensesSession, type OAuthClientPort, type RedirectChoice } from './oauthPort';
import { SESSION_END_TEXT, type EndedSession, type EndedSessionNote, type SessionEndCause } from './sessionEnd';
import { lensesUrlProblem, type LensesSettings } from '../settings';
import { describeScopeShortfall, describeSignInError, InvalidLensesUrlError, SignInCancelledError, type UserMessage } from '../userMessages';

/** The authentication provider id and label (package.json `contributes.authentication`). */
export const AUTH_PROVIDER_ID = 'lenses';
export const AUTH_PROVIDER_LABEL = 'Lenses';

/** The browser sign-in gives up after 5 minutes (CL-06). */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/** What the provider needs from the window: progress, prompts and notifications. */
export interface AuthUi {
  /** Runs the browser sign-in under a cancellable progress notification; the signal aborts on Cancel. */
  withSignInProgress<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Asks for the HQ URL when none is set and stores it; undefined when dismissed. */
  askForLensesUrl(): Promise<string | undefined>;
  showMessage(severity: 'error' | 'warning' | 'info', message: UserMessage): void;
}

export interface AuthProviderDependencies {
  oauth: OAuthClientPort;
  settings(): LensesSettings;
  ui: AuthUi;
  /** How the browser comes back: undefined = loopback (desktop), a `uri` strategy in remote windows. */
  redirect(): Promise<RedirectChoice | undefined>;
  /** Fires when SecretStorage changes in any window (`context.secrets.onDidChange`). */
  secretsChanged: vscode.Event<unknown>;
  /** Which stored sessions are this provider's (sessions for a remote MCP server's resource are not). */
  accepts?(session: LensesSession): boolean;
  /** HQ ended a session (CL-19): tell the user, who may not be looking at Lenses. */
  sessionEnded?(ended: EndedSession): void;
  /** The note every window reads to show the signed-out state as "ended" (SecretStorage). */
  endedNote?: Pick<EndedSessionNote, 'record' | 'read' | 'clear'>;
  logger: Logger;
}

/**
 * The `lenses` authentication provider: sessions live only in SecretStorage through the
 * OAuth core; every window reconciles its view of them on each secrets change, so sign-in,
 * refresh and sign-out in one window are seen by all.
 */
export class LensesAuthenticationProvider implements vscode.AuthenticationProvider {
  private readonly changes = new Emitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changes.event;

  private known = new Map<string, LensesSession>();
  private reconciling: Promise<void>;
  private readonly subscription: { dispose(): unknown };

  constructor(private readonly dependencies: AuthProviderDependencies) {
    this.reconciling = this.load();
    this.subscription = dependencies.secretsChanged(() => void this.reconcile());
  }

  /** Stored sessions whose granted scopes cover `scopes` (all when undefined). Silent: no network. */
  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    await this.reconciling;
    // A scope Lenses does not have (e.g. "openid") can never be covered: no session, not a narrower one.
    const unknown = (scopes ?? []).filter((scope) => !isScope(scope));
    if (unknown.length > 0) {
      this.dependencies.logger.debug(`No Lenses session can hold [${unknown.join(' ')}]`);
      return [];
    }
    const wanted = parseScopes(scopes ?? []);
    const sessions = [...this.known.values()].filter((session) => covers(session.scopes, wanted));
    this.dependencies.logger.debug(`Got ${sessions.length} Lenses session(s) for [${wanted.join(' ')}]`);
    return sessions.map(toAuthenticationSession);
  }

  /** Signs in through the browser; shows a mapped message on failure (silent on cancel) and rethrows. */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const { logger, ui } = this.dependencies;
    try {
      const settings = this.dependencies.settings();
      const hqUrl = settings.url || (await ui.askForLensesUrl());
      if (!hqUrl) throw new SignInCancelledError();
      const problem = lensesUrlProblem(hqUrl);
      if (problem) throw new InvalidLensesUrlError(problem);
      const asked = parseScopes(scopes).length > 0 ? parseScopes(scopes) : settings.scopes;
      const redirect = await this.dependencies.redirect();
      logger.info(`Signing in to Lenses at ${hqUrl} for [${asked.join(' ')}] (${redirect?.kind ?? 'loopback'} redirect)`);
      const session = await ui.withSignInProgress((signal) =>
        this.dependencies.oauth.signIn({ hqUrl, scopes: asked, signal, redirect, timeoutMs: SIGN_IN_TIMEOUT_MS }),
      );
      logger.info(`Signed in as ${session.account.label} with [${session.scopes.join(' ')}], token ${fingerprint(session.accessToken)}`);
      await this.replaceOthers(session.id);
      await this.dependencies.endedNote?.clear();
      const shortfall = describeScopeShortfall(asked, session.scopes);
      if (shortfall) ui.showMessage('info', shortfall);
      return toAuthenticationSession(session);
    } catch (error) {
      const message = describeSignInError(error, this.dependencies.settings().url);
      if (message) {
        logger.error(`Sign-in failed (${errorCode(error) ?? 'no code'}): ${error instanceof Error ? error.message : String(error)}`);
        ui.showMessage('error', message);
      } else {
        logger.info('Sign-in cancelled');
      }
      throw error;
    }
  }

  /** Signs out: revokes at HQ (RFC 7009) and forgets locally, even when HQ cannot be reached. */
  async removeSession(sessionId: string): Promise<void> {
    const session = this.known.get(sessionId);
    try {
      await this.dependencies.oauth.signOut(sessionId);
      this.dependencies.logger.info(`Signed out ${session?.account.label ?? sessionId}: token ${session ? fingerprint(session.accessToken) : '?'} revoked`);
    } catch (error) {
      this.dependencies.logger.warn(
        `Could not revoke the session at Lenses (${error instanceof Error ? error.message : String(error)}); forgetting it locally`,
      );
      await this.dependencies.oauth.forget(sessionId);
    }
    await this.dependencies.endedNote?.clear();
    await this.reconcile();
  }

  /**
   * CL-19: HQ no longer accepts the session holding `accessToken` (the current one when
   * undefined): forget it at once (SecretStorage, so every window follows), note why, fire
   * the change event and tell the user. False when no stored session holds that token any
   * more (already ended, refreshed or replaced since): nothing is done then.
   */
  async endSession(cause: SessionEndCause, accessToken?: string): Promise<boolean> {
    await this.reconciling;
    const stored = await this.ownSessions();
    const session = accessToken === undefined ? stored.at(-1) : stored.find((candidate) => candidate.accessToken === accessToken);
    if (!session) return false;
    this.dependencies.logger.warn(`${SESSION_END_TEXT[cause]}: forgetting the session of ${session.account.label} (token ${fingerprint(session.accessToken)})`);
    await this.ended(session, cause, () => this.dependencies.oauth.forget(session.id));
    return true;
  }

  /** The last session HQ ended, while no one signed in or out since. */
  async lastEndedSession(): Promise<EndedSession | undefined> {
    return this.dependencies.endedNote?.read();
  }

  /** Forgets a session without revoking (its grant was revoked already, e.g. from Connected Applications). */
  async forgetSession(sessionId: string): Promise<void> {
    await this.dependencies.oauth.forget(sessionId);
    this.dependencies.logger.info(`Forgot session ${sessionId}`);
    await this.dependencies.endedNote?.clear();
    await this.reconcile();
  }

  /** The session in use (the latest stored), without network. */
  async currentSession(): Promise<LensesSession | undefined> {
    await this.reconciling;
    return [...this.known.values()].at(-1);
  }

  /**
   * The current session with a fresh access token (refreshed single-flight by the OAuth core).
   * undefined when signed out or when the refresh was refused (the session is then gone).
   */
  async validCurrentSession(signal?: AbortSignal): Promise<LensesSession | undefined> {
    const session = await this.currentSession();
    if (!session) return undefined;
    try {
      return await this.dependencies.oauth.validSession(session.id, signal);
    } catch (error) {
      if (isOAuthError(error, 'session_expired')) {
        // The OAuth core removed it already (CL-11).
        this.dependencies.logger.warn(`Session of ${session.account.label} could not be refreshed: sign in again`);
        await this.ended(session, 'refresh_refused', () => Promise.resolve(undefined));
        return undefined;
      }
      throw error;
    }
  }

  private async ended(session: LensesSession, cause: SessionEndCause, forget: () => Promise<void>): Promise<void> {
    const ended: EndedSession = { account: session.account.label, cause, at: Date.now() };
    // The note first, so a window that sees the session go also sees why.
    await this.dependencies.endedNote
      ?.record(ended)
      .catch((error: unknown) => this.dependencies.logger.warn(`Could not note the ended session: ${String(error)}`));
    await forget();
    this.dependencies.sessionEnded?.(ended);
    await this.reconcile();
  }

  /** Re-reads the stored sessions and fires added/removed/changed for what differs. */
  reconcile(): Promise<void> {
    this.reconciling = this.reconciling
      .then(() => this.diffAndFire())
      .catch((error: unknown) => {
        this.dependencies.logger.error(`Could not read the stored Lenses sessions: ${error instanceof Error ? error.message : String(error)}`);
      });
    return this.reconciling;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changes.dispose();
  }

  private async load(): Promise<void> {
    try {
      const sessions = await this.ownSessions();
      this.known = new Map(sessions.map((session) => [session.id, session]));
      this.dependencies.logger.info(`Found ${sessions.length} stored Lenses session(s)`);
    } catch (error) {
      this.dependencies.logger.error(`Could not read the stored Lenses sessions: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async ownSessions(): Promise<LensesSession[]> {
    const sessions = await this.dependencies.oauth.sessions();
    return this.dependencies.accepts ? sessions.filter((session) => this.dependencies.accepts?.(session)) : sessions;
  }

  private async diffAndFire(): Promise<void> {
    const sessions = await this.ownSessions();
    const next = new Map(sessions.map((session) => [session.id, session]));
    const added = sessions.filter((session) => !this.known.has(session.id));
    const removed = [...this.known.values()].filter((session) => !next.has(session.id));
    const changed = sessions.filter((session) => {
      const before = this.known.get(session.id);
      return before !== undefined && (before.accessToken !== session.accessToken || before.scopes.join(' ') !== session.scopes.join(' '));
    });
    this.known = next;
    if (added.length + removed.length + changed.length === 0) return;
    this.dependencies.logger.debug(`Sessions changed: ${added.length} added, ${removed.length} removed, ${changed.length} changed`);
    this.changes.fire({
      added: added.map(toAuthenticationSession),
      removed: removed.map(toAuthenticationSession),
      changed: changed.map(toAuthenticationSession),
    });
  }

  /** One account at a time: a new sign-in replaces the earlier sessions (forgotten, not revoked: the grant may be shared). */
  private async replaceOthers(keepId: string): Promise<void> {
    const sessions = await this.ownSessions();
    for (const other of sessions.filter((session) => session.id !== keepId)) await this.dependencies.oauth.forget(other.id);
    await this.reconcile();
  }
}

function covers(granted: readonly Scope[], wanted: readonly Scope[]): boolean {
  return wanted.every((scope) => granted.includes(scope));
}

function toAuthenticationSession(session: LensesSession): vscode.AuthenticationSession {
  return { id: session.id, accessToken: session.accessToken, account: { ...session.account }, scopes: [...session.scopes] };
}
