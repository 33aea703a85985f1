import { realSleep } from './refreshLease';
import type { OAuthSession, SecretStore } from './types';

/** The one SecretStore key holding every session, as JSON. */
export const SESSIONS_KEY = 'lenses.oauth.sessions';

/** How many times a change overwritten by another window is applied again. */
const MAX_WRITE_ATTEMPTS = 5;

export interface SessionStoreOptions {
  sleep?: (ms: number) => Promise<void>;
  /** Pause between a write and the check that it survived; 0 = no check. Default 100 ms. */
  verifyMs?: number;
}

/** One change to the sessions list, applied to the list as stored right now. */
interface Change<R> {
  /** The new list, or undefined when nothing needs writing. */
  apply(sessions: OAuthSession[]): { next?: OAuthSession[]; result: R };
  /** True when the stored list (read back after a write) still reflects the change. */
  landed(sessions: OAuthSession[]): boolean;
}

/** What `replace` found: stored (ours now), a newer session another window stored, or gone. */
export type ReplaceOutcome = { kind: 'replaced'; session: OAuthSession } | { kind: 'newer'; session: OAuthSession } | { kind: 'gone' };

/**
 * Sessions in the SecretStore under one key. Several windows (extension hosts) share that
 * key and SecretStorage has no compare-and-set, so every change is one session by id,
 * applied to the list re-read right before the write (never a stale whole list), and read
 * back after a short pause: if another window's write overwrote it, it is applied again.
 * Writes in this process are serialized.
 *
 * Renewed tokens are a compare-and-swap on the refresh token (CL-17): `replace` writes only
 * over the refresh token it spent, and a read-back that shows the spent one again (another
 * window wrote back a list it read before) applies the change again. A spent refresh token
 * left in the store would be reused, and HQ revokes the whole grant on reuse.
 */
export class SessionStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly verifyMs: number;

  constructor(
    private readonly secrets: SecretStore,
    options: SessionStoreOptions = {},
  ) {
    this.sleep = options.sleep ?? realSleep;
    this.verifyMs = options.verifyMs ?? 100;
  }

  async all(): Promise<OAuthSession[]> {
    const raw = await this.secrets.get(SESSIONS_KEY);
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter(isSession) : [];
    } catch {
      return [];
    }
  }

  async get(id: string): Promise<OAuthSession | undefined> {
    return (await this.all()).find((session) => session.id === id);
  }

  /** Adds or replaces the session with the same id. */
  put(session: OAuthSession): Promise<void> {
    return this.update<void>({
      apply: (sessions) => ({ next: [...sessions.filter((s) => s.id !== session.id), session], result: undefined }),
      // another window may have renewed it since: any version of it counts
      landed: (sessions) => sessions.some((s) => s.id === session.id),
    });
  }

  /**
   * Stores renewed tokens of a session, compare-and-swap on `spentRefreshToken` (the one the
   * refresh spent): `newer` when another window already stored a different one (theirs is
   * kept), `gone` when the session is no longer stored — signed out meanwhile, perhaps in
   * another window — so a refresh cannot resurrect it.
   */
  replace(session: OAuthSession, spentRefreshToken: string | undefined): Promise<ReplaceOutcome> {
    const ours = session.refreshToken;
    return this.update<ReplaceOutcome>({
      apply: (sessions) => {
        const stored = sessions.find((s) => s.id === session.id);
        if (!stored) return { result: { kind: 'gone' } };
        if (stored.refreshToken !== spentRefreshToken && stored.refreshToken !== ours) return { result: { kind: 'newer', session: stored } };
        return { next: sessions.map((s) => (s.id === session.id ? session : s)), result: { kind: 'replaced', session } };
      },
      // The spent token back in the store = our write was overwritten by an older list: apply again.
      landed: (sessions) => ours === spentRefreshToken || !sessions.some((s) => s.id === session.id && s.refreshToken === spentRefreshToken),
    });
  }

  /** Removes a session; returns it when it was there. */
  remove(id: string): Promise<OAuthSession | undefined> {
    return this.removeIf(id, () => true);
  }

  /** Removes the session only while `still` holds for its stored version (checked right before the write). */
  removeIf(id: string, still: (stored: OAuthSession) => boolean): Promise<OAuthSession | undefined> {
    let removed: OAuthSession | undefined;
    return this.update<OAuthSession | undefined>({
      apply: (sessions) => {
        const stored = sessions.find((s) => s.id === id);
        if (!stored || !still(stored)) return { result: removed };
        removed ??= stored;
        return { next: sessions.filter((s) => s.id !== id), result: removed };
      },
      landed: (sessions) => !sessions.some((s) => s.id === id && still(s)),
    });
  }

  private update<R>(change: Change<R>): Promise<R> {
    const next = this.queue.then(async () => {
      let result: R | undefined;
      for (let attempt = 1; ; attempt++) {
        const applied = change.apply(await this.all());
        result = applied.result;
        if (!applied.next) return result;
        await this.write(applied.next);
        if (this.verifyMs <= 0 || attempt >= MAX_WRITE_ATTEMPTS) return result;
        await this.sleep(this.verifyMs);
        if (change.landed(await this.all())) return result;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(sessions: OAuthSession[]): Promise<void> {
    if (sessions.length === 0) await this.secrets.delete(SESSIONS_KEY);
    else await this.secrets.store(SESSIONS_KEY, JSON.stringify(sessions));
  }
}

function isSession(value: unknown): value is OAuthSession {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<OAuthSession>;
  return (
    typeof s.id === 'string' &&
    typeof s.issuer === 'string' &&
    typeof s.clientId === 'string' &&
    typeof s.resource === 'string' &&
    typeof s.accessToken === 'string' &&
    typeof s.expiresAt === 'number' &&
    Array.isArray(s.scopes) &&
    s.scopes.every((scope) => typeof scope === 'string') && // any server's scope strings
    typeof s.account === 'object' &&
    s.account !== null &&
    typeof s.account.label === 'string'
  );
}
