import { isScope } from '../scopes';
import type { OAuthSession, SecretStore } from './types';

/** The one SecretStore key holding every session, as JSON. */
export const SESSIONS_KEY = 'lenses.oauth.sessions';

/** Sessions in the SecretStore under one key; writes in this process are serialized. */
export class SessionStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly secrets: SecretStore) {}

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
    return this.update((sessions) => [...sessions.filter((s) => s.id !== session.id), session]).then(() => undefined);
  }

  /** Removes a session; returns it when it was there. */
  async remove(id: string): Promise<OAuthSession | undefined> {
    let removed: OAuthSession | undefined;
    await this.update((sessions) => {
      removed = sessions.find((s) => s.id === id);
      return sessions.filter((s) => s.id !== id);
    });
    return removed;
  }

  private update(change: (sessions: OAuthSession[]) => OAuthSession[]): Promise<void> {
    const next = this.queue.then(async () => {
      const sessions = change(await this.all());
      if (sessions.length === 0) await this.secrets.delete(SESSIONS_KEY);
      else await this.secrets.store(SESSIONS_KEY, JSON.stringify(sessions));
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function isSession(value: unknown): value is OAuthSession {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<OAuthSession>;
  return typeof s.id === 'string' && typeof s.issuer === 'string' && typeof s.clientId === 'string'
    && typeof s.resource === 'string' && typeof s.accessToken === 'string' && typeof s.expiresAt === 'number'
    && Array.isArray(s.scopes) && s.scopes.every((scope) => typeof scope === 'string' && isScope(scope))
    && typeof s.account === 'object' && s.account !== null && typeof s.account.label === 'string';
}
