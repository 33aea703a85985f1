import type { SecretStore } from '../../oauth';

/**
 * Why HQ no longer accepts a session (CL-19). Whatever reveals it, the session is
 * forgotten at once; an HQ that cannot be reached (network error, 5xx, timeout) is not one
 * of these: the session is kept.
 */
export type SessionEndCause = 'inactive' | 'unauthorized' | 'refresh_refused';

/** One line for the log and the notification, per cause. */
export const SESSION_END_TEXT: Record<SessionEndCause, string> = {
  inactive: 'Lenses HQ no longer accepts your session (revoked, or unknown to HQ)',
  unauthorized: 'Lenses HQ no longer accepts your session (HTTP 401: revoked, or unknown to HQ)',
  refresh_refused: 'Lenses HQ refused to renew your session',
};

/** What is remembered about the last session HQ ended, until the next sign-in or sign-out. */
export interface EndedSession {
  account: string;
  cause: SessionEndCause;
  /** Epoch ms. */
  at: number;
}

/** The SecretStorage key of the note (not a secret, but SecretStorage tells every window at once). */
export const ENDED_SESSION_KEY = 'lenses.sessionEnded';

/**
 * The note "HQ ended the session of <account>", shared by every window through
 * SecretStorage, so each shows the signed-out state in the warning colour rather than the
 * quiet one of a deliberate sign-out.
 */
export class EndedSessionNote {
  constructor(private readonly secrets: SecretStore) {}

  async record(ended: EndedSession): Promise<void> {
    await this.secrets.store(ENDED_SESSION_KEY, JSON.stringify(ended));
  }

  async read(): Promise<EndedSession | undefined> {
    const raw = await this.secrets.get(ENDED_SESSION_KEY);
    if (!raw) return undefined;
    try {
      const value = JSON.parse(raw) as Partial<EndedSession>;
      if (typeof value.account !== 'string' || typeof value.at !== 'number' || !isCause(value.cause)) return undefined;
      return { account: value.account, cause: value.cause, at: value.at };
    } catch {
      return undefined;
    }
  }

  async clear(): Promise<void> {
    if ((await this.secrets.get(ENDED_SESSION_KEY)) !== undefined) await this.secrets.delete(ENDED_SESSION_KEY);
  }
}

function isCause(value: unknown): value is SessionEndCause {
  return typeof value === 'string' && Object.hasOwn(SESSION_END_TEXT, value);
}
