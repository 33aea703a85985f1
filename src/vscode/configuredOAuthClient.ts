import type { OAuthClientPort } from './oauthPort';

/** An OAuth client the wrapper can dispose (the core's `LensesOAuthClient`, or a test fake). */
export type DisposableOAuthClient = OAuthClientPort & { dispose?(): void };
import type { LensesSettings } from './settings';

/**
 * The OAuth client for the current settings: `lenses.oauth.clientId` and
 * `lenses.allowInsecureHttp` are constructor options of the core, so a change builds a
 * new client (sessions stay in SecretStorage and carry over).
 */
export class ConfiguredOAuthClient implements OAuthClientPort {
  private client: DisposableOAuthClient | undefined;
  private builtFor = '';

  constructor(
    private readonly create: (settings: LensesSettings) => DisposableOAuthClient,
    private readonly settings: () => LensesSettings,
  ) {}

  signIn: OAuthClientPort['signIn'] = (options) => this.current().signIn(options);
  sessions: OAuthClientPort['sessions'] = () => this.current().sessions();
  validSession: OAuthClientPort['validSession'] = (id, signal) => this.current().validSession(id, signal);
  signOut: OAuthClientPort['signOut'] = (id) => this.current().signOut(id);
  forget: OAuthClientPort['forget'] = (id) => this.current().forget(id);

  private current(): OAuthClientPort {
    const settings = this.settings();
    const key = JSON.stringify([settings.clientId, settings.allowInsecureHttp]);
    if (!this.client || key !== this.builtFor) {
      this.client?.dispose?.();
      this.client = this.create(settings);
      this.builtFor = key;
    }
    return this.client;
  }

  /** Ends a sign-in in progress (deactivate). */
  dispose(): void {
    this.client?.dispose?.();
    this.client = undefined;
  }
}
