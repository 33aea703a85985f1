import * as oauth from 'oauth4webapi';
import { errorMessage } from '../errors';
import type { Logger } from '../log';
import { OAuthError } from './errors';
import type { Transport } from './transport';
import type { SecretStore } from './types';

/** The redirect URI registered for loopback sign-ins: any port matches (RFC 8252 §7.3). */
export const LOOPBACK_REDIRECT_URI = 'http://127.0.0.1/callback';

/** A client this extension uses with one authorization server. */
export interface RegisteredClient {
  clientId: string;
  redirectUris: string[];
  /** `dcr`: registered by us and cached; `configured`: lenses.oauth.clientId. */
  method: 'dcr' | 'configured';
}

/** Secret-store key of the client registered with an issuer. */
export function clientKey(issuer: string): string {
  return `lenses.oauth.client/${issuer}`;
}

/** The public-client metadata we register (RFC 7591 §2), `none` sent explicitly. */
export function registrationMetadata(clientName: string, redirectUris: string[]): Partial<oauth.OmitSymbolProperties<oauth.Client>> {
  return {
    client_name: clientName,
    redirect_uris: redirectUris,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

/**
 * Clients per issuer: the configured client ID, or one registered by RFC 7591 DCR and
 * cached in the SecretStore.
 */
export class ClientRegistry {
  constructor(
    private readonly secrets: SecretStore,
    private readonly transport: Transport,
    private readonly logger: Logger,
    private readonly clientName: string,
    private readonly configuredClientId?: string,
  ) {}

  /** The cached DCR client for an issuer, if any and if it has every needed redirect URI. */
  async cached(issuer: string, redirectUris: string[]): Promise<RegisteredClient | undefined> {
    const raw = await this.secrets.get(clientKey(issuer));
    if (!raw) return undefined;
    try {
      const client = JSON.parse(raw) as Partial<RegisteredClient>;
      if (typeof client.clientId !== 'string' || !Array.isArray(client.redirectUris)) return undefined;
      if (!redirectUris.every((uri) => client.redirectUris?.includes(uri))) return undefined;
      return { clientId: client.clientId, redirectUris: client.redirectUris, method: 'dcr' };
    } catch {
      return undefined;
    }
  }

  /** The client to use: configured, cached, or freshly registered. */
  async clientFor(as: oauth.AuthorizationServer, redirectUris: string[], signal?: AbortSignal): Promise<RegisteredClient> {
    if (this.configuredClientId) return { clientId: this.configuredClientId, redirectUris, method: 'configured' };
    return (await this.cached(as.issuer, redirectUris)) ?? this.register(as, redirectUris, signal);
  }

  /** Forgets the cached client of an issuer (HQ rejected it). */
  async forget(issuer: string): Promise<void> {
    await this.secrets.delete(clientKey(issuer));
  }

  /** RFC 7591 registration of a public native client; refuses a secret (CL-08). */
  async register(as: oauth.AuthorizationServer, redirectUris: string[], signal?: AbortSignal): Promise<RegisteredClient> {
    if (!as.registration_endpoint) {
      throw new OAuthError('dcr_unavailable', `Lenses HQ at ${as.issuer} does not allow dynamic client registration. Ask your Lenses admin for an OAuth client ID and set lenses.oauth.clientId.`);
    }
    const registered = await this.transport.run('client registration', signal, async (options) => {
      const response = await oauth.dynamicClientRegistrationRequest(as, registrationMetadata(this.clientName, redirectUris), options);
      try {
        return await oauth.processDynamicClientRegistrationResponse(response);
      } catch (error) {
        const oauthError = error instanceof oauth.ResponseBodyError ? error.error : undefined;
        throw new OAuthError('registration_failed', `Lenses HQ refused to register this app${oauthError ? ` (${oauthError})` : ''} (HTTP ${response.status}).`, {
          status: response.status,
          oauthError,
          detail: errorMessage(error),
        });
      }
    });
    if (registered.client_secret !== undefined) {
      throw new OAuthError('registration_failed', 'Lenses HQ registered this app as a confidential client (it returned a client secret); a public client was asked for.');
    }
    if (registered.token_endpoint_auth_method !== undefined && registered.token_endpoint_auth_method !== 'none') {
      throw new OAuthError('registration_failed', `Lenses HQ registered this app with client authentication "${String(registered.token_endpoint_auth_method)}"; "none" was asked for.`);
    }
    const client: RegisteredClient = { clientId: registered.client_id, redirectUris, method: 'dcr' };
    await this.secrets.store(clientKey(as.issuer), JSON.stringify({ clientId: client.clientId, redirectUris }));
    this.logger.info(`OAuth: registered client ${client.clientId} as "${this.clientName}" with ${as.issuer}`);
    return client;
  }

  /**
   * Whether HQ still knows a cached client: a refresh with a random token is answered
   * `invalid_grant` for a known client and `invalid_client` for an unknown one
   * (RFC 6749 §5.2), before any browser is opened.
   */
  async stillKnown(as: oauth.AuthorizationServer, client: RegisteredClient, signal?: AbortSignal): Promise<boolean> {
    return this.transport.run('client check', signal, async (options) => {
      const response = await oauth.refreshTokenGrantRequest(as, { client_id: client.clientId }, oauth.None(), oauth.generateRandomState(), options);
      try {
        await oauth.processRefreshTokenResponse(as, { client_id: client.clientId }, response);
        return true;
      } catch (error) {
        return !(error instanceof oauth.ResponseBodyError && isClientRejection(error.error));
      }
    });
  }
}

/** OAuth errors that mean "HQ does not accept this client". */
export function isClientRejection(error: string | undefined): boolean {
  return error === 'invalid_client' || error === 'unauthorized_client';
}
