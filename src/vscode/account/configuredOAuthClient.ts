import type { LensesOAuthClient } from '../../oauth';
import { lensesSession, type OAuthClientPort } from './oauthPort';
import type { LensesSettings } from '../settings';

/** The core client as the wrapper builds it: `LensesOAuthClient`, or a test fake of its surface. */
export type CoreOAuthClient = Pick<LensesOAuthClient, 'signIn' | 'sessions' | 'validSession' | 'signOut' | 'forget'> & { dispose?(): void };

/** The parts of the settings (and SecretStorage) the core client is built from. */
export interface OAuthClientSettings {
  settings: LensesSettings;
  /** lenses.oauth.clientSecret, from SecretStorage (never a setting); undefined when none. */
  clientSecret?: string;
}

/**
 * The OAuth client for the current settings, in the Lenses view (`LensesSession`):
 * `lenses.oauth.clientId`, the client secret, `lenses.oauth.clientMetadataUrl` and
 * `lenses.allowInsecureHttp` are constructor options of the core, so a change builds a new
 * client (sessions stay in SecretStorage and carry over).
 */
export class ConfiguredOAuthClient implements OAuthClientPort {
  private client: CoreOAuthClient | undefined;
  private builtFor = '';

  constructor(
    private readonly create: (current: LensesSettings, clientSecret: string | undefined) => CoreOAuthClient,
    private readonly settings: () => LensesSettings,
    /** The client secret as last read from SecretStorage (kept current by its change event). */
    private readonly clientSecret: () => string | undefined = () => undefined,
  ) {}

  signIn: OAuthClientPort['signIn'] = async (options) => lensesSession(await this.current().signIn(options));
  sessions: OAuthClientPort['sessions'] = async () => (await this.current().sessions()).map(lensesSession);
  validSession: OAuthClientPort['validSession'] = async (id, signal) => lensesSession(await this.current().validSession(id, signal));
  signOut: OAuthClientPort['signOut'] = (id) => this.current().signOut(id);
  forget: OAuthClientPort['forget'] = (id) => this.current().forget(id);

  private current(): CoreOAuthClient {
    const settings = this.settings();
    const secret = this.clientSecret();
    // the secret is part of this in-memory key only: a new secret builds a new client
    const key = JSON.stringify([settings.clientId, settings.clientMetadataUrl, settings.allowInsecureHttp, settings.url, secret ?? '']);
    if (!this.client || key !== this.builtFor) {
      this.client?.dispose?.();
      this.client = this.create(settings, secret);
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
