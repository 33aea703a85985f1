import { OAuthError } from '../../../src/oauth';
import type { Scope } from '../../../src/scopes';
import type { AuthUi } from '../../../src/vscode/account/authProvider';
import { Emitter } from '../../../src/vscode/emitter';
import type { LensesSession, OAuthClientPort } from '../../../src/vscode/account/oauthPort';
import type { LensesSettings } from '../../../src/vscode/settings';
import type { UserMessage } from '../../../src/vscode/userMessages';

/** SecretStorage shared by every "window" of a test: one map, one change event. */
export class TestSecretStorage {
  readonly values = new Map<string, string>();
  private readonly changes = new Emitter<{ key: string }>();
  readonly onDidChange = this.changes.event;

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changes.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changes.fire({ key });
  }
}

export function session(overrides: Partial<LensesSession> = {}): LensesSession {
  return {
    id: 'session-1',
    issuer: 'https://hq.example.com',
    clientId: 'client-vscode',
    resource: 'https://hq.example.com',
    accessToken: 'access-token-1',
    refreshToken: 'refresh-token-1',
    expiresAt: Date.now() + 3_600_000,
    scopes: ['read', 'write', 'delete'],
    account: { id: 'alice-id', label: 'alice' },
    ...overrides,
  };
}

/**
 * An OAuth client over a TestSecretStorage (sessions under one key, as the real one), so
 * two fake clients on the same storage behave like two windows.
 */
export class FakeOAuthClient implements OAuthClientPort {
  readonly calls: string[] = [];
  /** What the next signIn returns or throws. */
  nextSignIn: LensesSession | Error = session();
  signOutFails = false;
  refreshFails = false;
  /** Thrown by validSession as when HQ cannot be reached for a refresh (the session stays). */
  refreshUnreachable: Error | undefined;
  lastSignIn: Parameters<OAuthClientPort['signIn']>[0] | undefined;

  constructor(readonly secrets: TestSecretStorage = new TestSecretStorage()) {}

  async signIn(options: Parameters<OAuthClientPort['signIn']>[0]): Promise<LensesSession> {
    this.calls.push(`signIn ${(options.scopes ?? []).join(' ')}`);
    this.lastSignIn = options;
    if (this.nextSignIn instanceof Error) throw this.nextSignIn;
    await this.put(this.nextSignIn);
    return this.nextSignIn;
  }
  async sessions(): Promise<LensesSession[]> {
    const raw = await this.secrets.get('sessions');
    return raw ? (JSON.parse(raw) as LensesSession[]) : [];
  }
  async validSession(sessionId: string): Promise<LensesSession> {
    this.calls.push(`validSession ${sessionId}`);
    if (this.refreshUnreachable) throw this.refreshUnreachable;
    const found = (await this.sessions()).find((s) => s.id === sessionId);
    if (!found || this.refreshFails) {
      await this.remove(sessionId);
      throw new OAuthError('session_expired', 'Your Lenses session has ended.');
    }
    return found;
  }
  async signOut(sessionId: string): Promise<void> {
    this.calls.push(`signOut ${sessionId}`);
    if (this.signOutFails) throw new OAuthError('unreachable', 'HQ did not answer');
    await this.remove(sessionId);
  }
  async forget(sessionId: string): Promise<void> {
    this.calls.push(`forget ${sessionId}`);
    await this.remove(sessionId);
  }
  async put(value: LensesSession): Promise<void> {
    const others = (await this.sessions()).filter((s) => s.id !== value.id);
    await this.secrets.store('sessions', JSON.stringify([...others, value]));
  }
  private async remove(sessionId: string): Promise<void> {
    const all = await this.sessions();
    if (all.some((s) => s.id === sessionId)) await this.secrets.store('sessions', JSON.stringify(all.filter((s) => s.id !== sessionId)));
  }
}

export class FakeAuthUi implements AuthUi {
  readonly messages: Array<{ severity: string; message: UserMessage }> = [];
  urlAnswer: string | undefined = undefined;
  urlAsked = 0;
  /** Aborts the sign-in signal as if the user pressed Cancel. */
  cancelProgress = false;

  async withSignInProgress<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (this.cancelProgress) controller.abort();
    return task(controller.signal);
  }
  async askForLensesUrl(): Promise<string | undefined> {
    this.urlAsked++;
    return this.urlAnswer;
  }
  showMessage(severity: 'error' | 'warning' | 'info', message: UserMessage): void {
    this.messages.push({ severity, message });
  }
}

export function settings(overrides: Partial<LensesSettings> = {}): LensesSettings {
  return {
    url: 'https://hq.example.com',
    scopes: ['read', 'write', 'delete'] as Scope[],
    clientId: '',
    clientMetadataUrl: '',
    allowInsecureHttp: false,
    mcpUrl: '',
    maxToolOutputChars: 24_000,
    ...overrides,
  };
}

/** Resolves after pending microtasks and one macrotask turn. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
