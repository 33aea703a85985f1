import type { OAuthClientPort } from './oauthPort';
import type { LensesSettings } from './settings';

/**
 * The OAuth client for the current settings: `lenses.oauth.clientId` and
 * `lenses.allowInsecureHttp` are constructor options of the core, so a change builds a
 * new client (sessions stay in SecretStorage and carry over).
 */
export class ConfiguredOAuthClient implements OAuthClientPort {
  private client: OAuthClientPort | undefined;
  private builtFor = '';

  constructor(
    private readonly create: (settings: LensesSettings) => OAuthClientPort,
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
      this.client = this.create(settings);
      this.builtFor = key;
    }
    return this.client;
  }
}
