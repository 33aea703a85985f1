import type { Logger } from '../log';
import type { EmbeddedSession, SessionSource } from '../mcp/embeddedAuthenticator';
import type { Scope } from '../scopes';
import type { LensesSession } from './oauthPort';

export interface SessionSourceDeps {
  validCurrentSession(): Promise<LensesSession | undefined>;
  /** Shows "Your Lenses session has ended…" with a "Sign In" button; resolves when it is closed. */
  showSessionEnded(): Promise<void>;
  logger: Logger;
}

/**
 * The embedded MCP server's view of the editor's session: silent (never prompts), refreshed
 * by the OAuth core, no tools while signed out, and at most one "session ended"
 * notification on screen at a time.
 */
export class EditorSessionSource implements SessionSource {
  private notifying = false;

  constructor(private readonly deps: SessionSourceDeps) {}

  async currentSession(): Promise<EmbeddedSession | undefined> {
    const session = await this.deps.validCurrentSession();
    return session ? { accessToken: session.accessToken, scopes: session.scopes } : undefined;
  }

  /**
   * None: signed out, the server lists no Lenses tools, so VS Code drops them (a stopped
   * server's tools stay cached in VS Code). A stale call still gets "sign in again".
   */
  signedOutScopes(): readonly Scope[] {
    return [];
  }

  sessionLost(reason: string): void {
    this.deps.logger.warn(`Lenses session lost: ${reason}`);
    if (this.notifying) return;
    this.notifying = true;
    this.deps
      .showSessionEnded()
      .catch(() => undefined)
      .finally(() => {
        this.notifying = false;
      });
  }
}
