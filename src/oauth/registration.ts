import * as oauth from 'oauth4webapi';
import type { Logger } from '../log';
import { confidentialTokenClient, oauthClientOf, publicTokenClient, secretTokenClient, type TokenClient, type TokenEndpointAuthMethod } from './clientAuth';
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

/** The client secret of a confidential DCR client and how the token endpoint takes it. */
interface DcrSecret {
  method: Exclude<TokenEndpointAuthMethod, 'none'>;
  secret: string;
  /** Epoch seconds; 0 or absent = does not expire (RFC 7591 §3.2.1 client_secret_expires_at). */
  expiresAt?: number;
}

/** The DCR record kept in the secret store under clientKey(issuer). */
interface DcrRecord {
  clientId: string;
  redirectUris: string[];
  issuer?: string;
  /** Only for a confidential registration: never in settings, logs or URLs. */
  confidential?: DcrSecret;
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

/**
 * How to register with this authorization server (CL-28): as a public client (`none`) wherever
 * it allows one — also when it does not say (`token_endpoint_auth_methods_supported` absent) —
 * else confidential with client_secret_basic, else client_secret_post. A server that lists
 * neither gets the public request, and its refusal is what the user sees.
 */
export function registrationAuthMethod(as: oauth.AuthorizationServer): TokenEndpointAuthMethod {
  const supported = as.token_endpoint_auth_methods_supported;
  if (!supported || supported.includes('none')) return 'none';
  if (supported.includes('client_secret_basic')) return 'client_secret_basic';
  if (supported.includes('client_secret_post')) return 'client_secret_post';
  return 'none';
}

/** The client metadata we register (RFC 7591 §2), the token endpoint auth method sent explicitly (`none` unless CL-28). */
export function registrationMetadata(
  clientName: string,
  redirectUris: string[],
  authMethod: TokenEndpointAuthMethod = 'none',
): Partial<oauth.OmitSymbolProperties<oauth.Client>> {
  return {
    client_name: clientName,
    redirect_uris: redirectUris,
    application_type: 'native',
    token_endpoint_auth_method: authMethod,
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
  /** Clock for client_secret_expires_at (epoch ms). */
  now?: () => number;
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
   * secret (basic or post, as advertised), a DCR client registered as confidential with the
   * secret of its record for this very issuer (CL-28), everything else as a public client.
   */
  async tokenClient(as: oauth.AuthorizationServer, clientId: string): Promise<TokenClient> {
    const configured = this.configuredFor(as.issuer);
    if (configured?.clientSecret && configured.clientId === clientId) return confidentialTokenClient(as, clientId, configured.clientSecret);
    const record = await this.record(as.issuer);
    if (record?.confidential && record.clientId === clientId) return secretTokenClient(clientId, record.confidential.method, record.confidential.secret);
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

  /**
   * The cached DCR client for an issuer, if any, registered with that very issuer, with every
   * needed redirect URI, and (a confidential one) with a secret that has not expired.
   */
  async cached(issuer: string, redirectUris: string[]): Promise<RegisteredClient | undefined> {
    const record = await this.record(issuer);
    if (!record) return undefined;
    if (!redirectUris.every((uri) => record.redirectUris.includes(uri))) return undefined;
    const expiresAt = record.confidential?.expiresAt;
    if (expiresAt && expiresAt * 1000 <= (this.options.now ?? Date.now)()) return undefined;
    return { clientId: record.clientId, redirectUris: record.redirectUris, method: 'dcr' };
  }

  /** The DCR record of an issuer, if it is well-formed and was made with that very issuer. */
  private async record(issuer: string): Promise<DcrRecord | undefined> {
    const raw = await this.secrets.get(clientKey(issuer));
    if (!raw) return undefined;
    try {
      const record = JSON.parse(raw) as { clientId?: unknown; redirectUris?: unknown; issuer?: unknown; confidential?: unknown };
      if (typeof record.clientId !== 'string' || !Array.isArray(record.redirectUris)) return undefined;
      if (record.issuer !== undefined && (typeof record.issuer !== 'string' || !sameIssuer(record.issuer, issuer))) return undefined;
      const redirectUris = record.redirectUris.filter((uri): uri is string => typeof uri === 'string');
      return { clientId: record.clientId, redirectUris, issuer: record.issuer, confidential: dcrSecretOf(record.confidential) };
    } catch {
      return undefined;
    }
  }

  /** Forgets the cached client of an issuer, and with it a confidential client's secret (rejected, or dropped). */
  async forget(issuer: string): Promise<void> {
    await this.secrets.delete(clientKey(issuer));
  }

  /** Forgets the registration of an issuer if it is this confidential client: its secret goes with the last sign-out (CL-28). */
  async forgetConfidential(issuer: string, clientId: string): Promise<boolean> {
    const record = await this.record(issuer);
    if (!record?.confidential || record.clientId !== clientId) return false;
    await this.forget(issuer);
    return true;
  }

  /**
   * RFC 7591 registration: a public native client (`none`) wherever the authorization server
   * allows one; a confidential one (client_secret_basic, else _post) where it does not
   * (CL-28), whose secret is kept in the issuer's record in the secret store only. A
   * `client_secret` in the answer to a public registration is ignored: never stored, sent or
   * logged, one log line (CL-08). Every failure says what the authorization server answered.
   */
  async register(as: oauth.AuthorizationServer, redirectUris: string[], signal?: AbortSignal): Promise<RegisteredClient> {
    if (!as.registration_endpoint) {
      const metadataUrl = this.options.clientMetadataUrl ? '' : ' or a client metadata document URL in lenses.oauth.clientMetadataUrl';
      throw new OAuthError(
        'dcr_unavailable',
        `The authorization server ${as.issuer} does not allow dynamic client registration${as.client_id_metadata_document_supported === true ? '' : ' nor client metadata documents'}. Ask its admin for an OAuth client ID and set lenses.oauth.clientId${metadataUrl}.`,
      );
    }
    const asked = registrationAuthMethod(as);
    const answer = await this.transport.run('client registration', signal, async (options) => {
      const response = await oauth.dynamicClientRegistrationRequest(as, registrationMetadata(this.options.clientName, redirectUris, asked), options);
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
    });
    const registered = registrationAnswer(as.issuer, answer);
    const confidential = asked === 'none' ? this.publicAnswer(as.issuer, registered) : confidentialAnswer(as.issuer, registered, asked);
    const client: RegisteredClient = { clientId: registered.client_id, redirectUris, method: 'dcr' };
    const record: DcrRecord = { clientId: client.clientId, redirectUris, issuer: as.issuer, confidential };
    await this.secrets.store(clientKey(as.issuer), JSON.stringify(record));
    this.logger.info(
      `OAuth: registered client ${client.clientId} as "${this.options.clientName}" with ${as.issuer}${confidential ? ` as a confidential client (${confidential.method}: the server allows no public clients)` : ''}`,
    );
    return client;
  }

  /** A public registration's answer: warns about (and drops) a secret or auth method nobody asked for (CL-08). */
  private publicAnswer(issuer: string, registered: RegisteredAnswer): undefined {
    if ('client_secret' in registered) {
      this.logger.warn(
        `OAuth: ${issuer} returned a client secret nobody asked for with client ${registered.client_id}; ignoring it (not stored or sent): this stays a public client`,
      );
    }
    const method = registered.token_endpoint_auth_method;
    if (method !== undefined && method !== 'none') {
      this.logger.warn(
        `OAuth: ${issuer} registered client ${registered.client_id} with client authentication "${typeof method === 'string' ? method.slice(0, 40) : JSON.stringify(method)}" although "none" was asked; going on as a public client (the token endpoint may refuse it)`,
      );
    }
    return undefined;
  }

  /**
   * Whether the authorization server still knows a cached client: a refresh with a random
   * token is answered `invalid_grant` for a known client and `invalid_client` for an unknown
   * one (RFC 6749 §5.2), before any browser is opened.
   */
  async stillKnown(as: oauth.AuthorizationServer, client: RegisteredClient, signal?: AbortSignal): Promise<boolean> {
    const tokenClient = await this.tokenClient(as, client.clientId);
    const oauthClient = oauthClientOf(tokenClient);
    return this.transport.run('client check', signal, async (options) => {
      const response = await oauth.refreshTokenGrantRequest(as, oauthClient, tokenClient.auth, oauth.generateRandomState(), options);
      try {
        await oauth.processRefreshTokenResponse(as, oauthClient, response);
        return true;
      } catch (error) {
        // a confidential client whose secret is refused gets a 401 challenge (RFC 6749 §5.2)
        if (error instanceof oauth.WWWAuthenticateChallengeError) return false;
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
export function registrationAnswer(issuer: string, answer: RegistrationAnswer): RegisteredAnswer {
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
  return object as RegisteredAnswer;
}

/** The fields of a DCR answer this client reads. */
type RegisteredAnswer = { client_id: string; client_secret?: unknown; client_secret_expires_at?: unknown; token_endpoint_auth_method?: unknown };

/**
 * A confidential registration's secret (CL-28): the answer must carry a `client_secret`; the
 * method is the one the server registered when it is one we can use, else the one asked.
 * The error never carries the answer (it may hold the secret).
 */
function confidentialAnswer(issuer: string, registered: RegisteredAnswer, asked: Exclude<TokenEndpointAuthMethod, 'none'>): DcrSecret {
  if (typeof registered.client_secret !== 'string' || registered.client_secret.length === 0) {
    throw new OAuthError(
      'registration_failed',
      `The authorization server ${issuer} allows no public clients, but registered client ${registered.client_id} without a client secret; ask its admin for an OAuth client ID and set lenses.oauth.clientId.`,
    );
  }
  const answered = registered.token_endpoint_auth_method;
  const method = answered === 'client_secret_basic' || answered === 'client_secret_post' ? answered : asked;
  const expiresAt =
    typeof registered.client_secret_expires_at === 'number' && registered.client_secret_expires_at > 0 ? registered.client_secret_expires_at : undefined;
  return { method, secret: registered.client_secret, expiresAt };
}

/** A stored secret, if it is one. */
function dcrSecretOf(value: unknown): DcrSecret | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { method, secret, expiresAt } = value as Record<string, unknown>;
  if ((method !== 'client_secret_basic' && method !== 'client_secret_post') || typeof secret !== 'string' || !secret) return undefined;
  return { method, secret, expiresAt: typeof expiresAt === 'number' ? expiresAt : undefined };
}

/** OAuth errors that mean "the authorization server does not accept this client". */
export function isClientRejection(error: string | undefined): boolean {
  return error === 'invalid_client' || error === 'unauthorized_client';
}
