import * as oauth from 'oauth4webapi';
import type { Logger } from '../log';
import { confidentialTokenClient, publicTokenClient, type TokenClient } from './clientAuth';
import { sameIssuer } from './discovery';
import { OAuthError } from './errors';
import type { Transport } from './transport';
import type { SecretStore } from './types';

/** The redirect URI registered for loopback sign-ins: any port matches (RFC 8252 §7.3). */
export const LOOPBACK_REDIRECT_URI = 'http://127.0.0.1/callback';

/**
 * How this extension got a client ID with one authorization server, in the MCP spec's
 * order of preference: `configured` (pre-registered, lenses.oauth.clientId), `cimd` (the
 * Client ID Metadata Document URL), `dcr` (RFC 7591, registered by us and cached per issuer).
 */
export type RegistrationMethod = 'configured' | 'cimd' | 'dcr';

/** A client this extension uses with one authorization server. */
export interface RegisteredClient {
  clientId: string;
  redirectUris: string[];
  method: RegistrationMethod;
}

/** The pre-registered client of the settings. */
export interface ConfiguredClient {
  clientId: string;
  /** From SecretStorage only; makes it a confidential client. */
  clientSecret?: string;
  /** The issuer it was registered with; omitted = any (MCP 2026-07-28 binding when set). */
  issuer?: string;
}

/** Secret-store key of the client registered with an issuer: never reused with another (2026-07-28 binding). */
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
 * A Client ID Metadata Document URL as the draft requires of a client ID: https, a path
 * other than "/", no fragment, no credentials. Returns the reason it is not, or undefined.
 */
export function clientMetadataUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'it is not a URL';
  }
  if (url.protocol !== 'https:') return 'it must use https';
  if (url.pathname === '/' || url.pathname === '') return 'it must have a path (e.g. /client.json)';
  if (url.hash) return 'it must have no fragment';
  if (url.username || url.password) return 'it must carry no user name or password';
  if (url.pathname.split('/').some((segment) => segment === '.' || segment === '..')) return 'it must have no "." or ".." segments';
  return undefined;
}

export interface ClientRegistryOptions {
  secrets: SecretStore;
  transport: Transport;
  logger: Logger;
  clientName: string;
  configured?: ConfiguredClient;
  clientMetadataUrl?: string;
}

/**
 * Clients per issuer, chosen in the MCP authorization spec's order (2025-11-25 "Client
 * Registration Approaches"): the pre-registered client (only with its own issuer), a
 * Client ID Metadata Document when the authorization server advertises
 * `client_id_metadata_document_supported`, then RFC 7591 DCR (cached per issuer).
 */
export class ClientRegistry {
  private readonly secrets: SecretStore;
  private readonly transport: Transport;
  private readonly logger: Logger;

  constructor(private readonly options: ClientRegistryOptions) {
    this.secrets = options.secrets;
    this.transport = options.transport;
    this.logger = options.logger;
  }

  /** The pre-registered client, when it may be used with this issuer. */
  configuredFor(issuer: string): ConfiguredClient | undefined {
    const configured = this.options.configured;
    if (!configured) return undefined;
    if (configured.issuer !== undefined && !sameIssuer(configured.issuer, issuer)) return undefined;
    return configured;
  }

  /**
   * How a client authenticates at this authorization server: the pre-registered one with its
   * secret (basic or post, as advertised), everything else as a public client.
   */
  tokenClient(as: oauth.AuthorizationServer, clientId: string): TokenClient {
    const configured = this.configuredFor(as.issuer);
    if (configured?.clientSecret && configured.clientId === clientId) return confidentialTokenClient(as, clientId, configured.clientSecret);
    return publicTokenClient(clientId);
  }

  /** The Client ID Metadata Document client, when the authorization server takes one and a URL is set. */
  metadataDocumentClient(as: oauth.AuthorizationServer, redirectUris: string[]): RegisteredClient | undefined {
    const url = this.options.clientMetadataUrl;
    if (!url || as.client_id_metadata_document_supported !== true) return undefined;
    const problem = clientMetadataUrlProblem(url);
    if (problem) {
      throw new OAuthError(
        'registration_failed',
        `The client metadata document URL (lenses.oauth.clientMetadataUrl) "${url}" cannot be a client ID: ${problem}.`,
      );
    }
    return { clientId: url, redirectUris, method: 'cimd' };
  }

  /** The cached DCR client for an issuer, if any, registered with that very issuer, and with every needed redirect URI. */
  async cached(issuer: string, redirectUris: string[]): Promise<RegisteredClient | undefined> {
    const raw = await this.secrets.get(clientKey(issuer));
    if (!raw) return undefined;
    try {
      const client = JSON.parse(raw) as { clientId?: unknown; redirectUris?: unknown; issuer?: unknown };
      if (typeof client.clientId !== 'string' || !Array.isArray(client.redirectUris)) return undefined;
      if (client.issuer !== undefined && (typeof client.issuer !== 'string' || !sameIssuer(client.issuer, issuer))) return undefined;
      const known = client.redirectUris.filter((uri): uri is string => typeof uri === 'string');
      if (!redirectUris.every((uri) => known.includes(uri))) return undefined;
      return { clientId: client.clientId, redirectUris: known, method: 'dcr' };
    } catch {
      return undefined;
    }
  }

  /** Forgets the cached client of an issuer (the authorization server rejected it). */
  async forget(issuer: string): Promise<void> {
    await this.secrets.delete(clientKey(issuer));
  }

  /**
   * RFC 7591 registration of a public native client (`none`). A `client_secret` in the answer
   * that nobody asked for is ignored: never stored, sent or logged, one log line (CL-08).
   * Every failure says what the authorization server answered.
   */
  async register(as: oauth.AuthorizationServer, redirectUris: string[], signal?: AbortSignal): Promise<RegisteredClient> {
    if (!as.registration_endpoint) {
      const metadataUrl = this.options.clientMetadataUrl ? '' : ' or a client metadata document URL in lenses.oauth.clientMetadataUrl';
      throw new OAuthError(
        'dcr_unavailable',
        `The authorization server ${as.issuer} does not allow dynamic client registration${as.client_id_metadata_document_supported === true ? '' : ' nor client metadata documents'}. Ask its admin for an OAuth client ID and set lenses.oauth.clientId${metadataUrl}.`,
      );
    }
    const answer = await this.transport.run('client registration', signal, async (options) => {
      const response = await oauth.dynamicClientRegistrationRequest(as, registrationMetadata(this.options.clientName, redirectUris), options);
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
    });
    const registered = registrationAnswer(as.issuer, answer);
    if ('client_secret' in registered) {
      this.logger.warn(
        `OAuth: ${as.issuer} returned a client secret nobody asked for with client ${registered.client_id}; ignoring it (not stored or sent): this stays a public client`,
      );
    }
    const method = registered.token_endpoint_auth_method;
    if (method !== undefined && method !== 'none') {
      this.logger.warn(
        `OAuth: ${as.issuer} registered client ${registered.client_id} with client authentication "${typeof method === 'string' ? method.slice(0, 40) : JSON.stringify(method)}" although "none" was asked; going on as a public client (the token endpoint may refuse it)`,
      );
    }
    const client: RegisteredClient = { clientId: registered.client_id, redirectUris, method: 'dcr' };
    await this.secrets.store(clientKey(as.issuer), JSON.stringify({ clientId: client.clientId, redirectUris, issuer: as.issuer }));
    this.logger.info(`OAuth: registered client ${client.clientId} as "${this.options.clientName}" with ${as.issuer}`);
    return client;
  }

  /**
   * Whether the authorization server still knows a cached client: a refresh with a random
   * token is answered `invalid_grant` for a known client and `invalid_client` for an unknown
   * one (RFC 6749 §5.2), before any browser is opened.
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

/** A DCR answer read whole: status, content type, body. */
interface RegistrationAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * The registered client of a DCR answer (RFC 7591 §3.2.1), read here rather than by
 * oauth4webapi, which refuses a secret without `client_secret_expires_at`. 201 (or 200,
 * which some servers send) with a JSON object and a string `client_id`; else a
 * `registration_failed` that says what came back — the OAuth error and its description, or
 * the status and content type — and never echoes the body (it may hold a secret).
 */
export function registrationAnswer(
  issuer: string,
  answer: RegistrationAnswer,
): { client_id: string; client_secret?: unknown; token_endpoint_auth_method?: unknown } {
  let body: unknown;
  try {
    body = answer.text ? JSON.parse(answer.text) : undefined;
  } catch {
    body = undefined;
  }
  const object = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const refused = (what: string, oauthError?: string) =>
    new OAuthError('registration_failed', `The authorization server ${issuer} did not register this app: ${what}.`, {
      status: answer.status,
      oauthError,
      detail: `HTTP ${answer.status}, ${answer.contentType || 'no content type'}`,
    });
  if (answer.status !== 201 && answer.status !== 200) {
    const error = typeof object?.error === 'string' ? object.error.slice(0, 80) : undefined;
    const description = typeof object?.error_description === 'string' ? object.error_description.slice(0, 200) : undefined;
    if (error) throw refused(`it answered "${error}"${description ? ` (${description})` : ''} with HTTP ${answer.status}`, error);
    throw refused(`it answered HTTP ${answer.status}${object ? ' with no OAuth error' : answer.contentType ? ` (${answer.contentType.split(';')[0]})` : ''}`);
  }
  if (!object) throw refused(`its answer is not a JSON object${answer.contentType ? ` but ${answer.contentType.split(';')[0]}` : ''}`);
  if (typeof object.client_id !== 'string' || object.client_id.length === 0) throw refused('its answer carries no client_id');
  return object as { client_id: string };
}

/** OAuth errors that mean "the authorization server does not accept this client". */
export function isClientRejection(error: string | undefined): boolean {
  return error === 'invalid_client' || error === 'unauthorized_client';
}
