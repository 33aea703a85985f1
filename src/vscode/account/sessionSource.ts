import type { Logger } from '../../log';
import type { EmbeddedSession, SessionRejection, SessionSource } from '../../mcp/auth/embeddedAuthenticator';
import type { Scope } from '../../scopes';
import type { LensesSession } from './oauthPort';
import { isHqSession } from './sessionResources';
import { SESSION_END_TEXT, type EndedSession, type SessionEndCause } from './sessionEnd';

export interface SessionSourceDependencies {
  validCurrentSession(): Promise<LensesSession | undefined>;
  /** `lenses.url` now: a session is handed out only with the HQ it belongs to. */
  hqUrl(): string;
  /** CL-19: forget the session holding `accessToken` (the auth provider's `endSession`). */
  endSession(cause: SessionEndCause, accessToken: string): Promise<boolean>;
  /** Shows `text` as a warning with a "Sign In" button; resolves when it is closed. */
  showSignInNeeded(text: string): Promise<void>;
  logger: Logger;
}

/** The notification when a tool is called while signed out. */
export const SIGNED_OUT_NOTICE = 'You are not signed in to Lenses. Sign in to use the Lenses tools.';

/** The notification when HQ ended the session (CL-19). */
export function sessionEndedNotice(ended: EndedSession): string {
  return `${SESSION_END_TEXT[ended.cause]}: ${ended.account} was signed out. Sign in again to keep using the Lenses tools.`;
}

/**
 * The embedded MCP server's view of the editor's session: silent (never prompts), refreshed
 * by the OAuth core, no tools while signed out, a session HQ rejects forgotten at once, and
 * at most one "sign in" notification on screen at a time.
 */
export class EditorSessionSource implements SessionSource {
  private notifying = false;

  constructor(private readonly dependencies: SessionSourceDependencies) {}

  /**
   * The session with the HQ it was issued for: `lenses.url` is read first and the session
   * checked against it, so a settings change in between never pairs a token with another HQ.
   */
  async currentSession(): Promise<EmbeddedSession | undefined> {
    const hqUrl = this.dependencies.hqUrl();
    const session = await this.dependencies.validCurrentSession();
    if (!session || !hqUrl || !isHqSession(session, hqUrl)) return undefined;
    return { accessToken: session.accessToken, scopes: session.scopes, hqUrl, account: session.account.label };
  }

  /**
   * None: signed out, the server lists no Lenses tools, so VS Code drops them (a stopped
   * server's tools stay cached in VS Code). A stale call still gets "sign in again".
   */
  signedOutScopes(): readonly Scope[] {
    return [];
  }

  sessionLost(reason: string): void {
    this.dependencies.logger.warn(`Lenses session lost: ${reason}`);
    this.notify(SIGNED_OUT_NOTICE);
  }

  sessionRejected(accessToken: string, why: SessionRejection): void {
    // The provider's change event and its sessionEnded notice follow (see sessionEnded).
    void this.dependencies.endSession(why, accessToken).catch((error: unknown) => {
      this.dependencies.logger.error(`Could not forget the rejected Lenses session: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** The auth provider ended a session (CL-19): say so once. */
  sessionEnded(ended: EndedSession): void {
    this.notify(sessionEndedNotice(ended));
  }

  private notify(text: string): void {
    if (this.notifying) return;
    this.notifying = true;
    this.dependencies
      .showSignInNeeded(text)
      .catch(() => undefined)
      .finally(() => {
        this.notifying = false;
      });
  }
}
