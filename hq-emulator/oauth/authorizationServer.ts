import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { IncomingMessage, type ServerResponse } from 'node:http';
import type { ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from '../../src/log';
import { ALL_SCOPES, parseScopes, type Scope } from '../../src/scopes';
import { readBody, sendHtml } from './http';
import { handleInteraction, INTERACTION_PATH } from './interactions';
import { loadOidcProvider, type Provider } from './loadProvider';
import { errorPage } from './pages';
import type { OAuthStore } from './store';
import { USERS } from './users';

/**
 * A client registered by configuration rather than DCR (registration method "api"); with a
 * `client_secret` it is confidential, authenticating with `token_endpoint_auth_method`
 * (default client_secret_basic).
 */
export interface PreRegisteredClient {
  client_id: string;
  client_name: string;
  redirect_uris: string[];
  client_secret?: string;
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post';
}

/** Optional behaviours real authorization servers have and the tests need (issue 11). */
export interface AuthorizationServerModes {
  /** DCR answers carry a `client_secret` (and `client_secret_basic`) nobody asked for; the client stays registered as `none`. */
  dcrUnaskedSecret?: boolean;
  /** Client ID Metadata Documents: advertised, and these documents (URL → JSON) are what "fetching" a client_id URL returns. */
  clientIdMetadataDocuments?: Record<string, Record<string, unknown>>;
  /** Publish only OpenID Connect discovery: the RFC 8414 well-known path answers 404. */
  oidcDiscoveryOnly?: boolean;
  /** token_endpoint_auth_methods_supported (oidc-provider `clientAuthMethods`); default none + client_secret_basic + client_secret_post. */
  clientAuthMethods?: Array<'none' | 'client_secret_basic' | 'client_secret_post'>;
  /** Introspection answers carry `scope` as a list of strings (as HQ's API models scopes) instead of RFC 7662's one string. */
  introspectionScopeList?: boolean;
}

export interface AuthorizationServerOptions {
  /** The HQ URL: issuer, and the default resource when a client names none. */
  issuer: string;
  tokenTtlSeconds: number;
  dcr: boolean;
  preRegisteredClients: PreRegisteredClient[];
  store: OAuthStore;
  logger: Logger;
  modes?: AuthorizationServerModes;
}

/** The holder of a valid access token. */
export interface TokenHolder {
  accountId: string;
  clientId: string;
  scopes: Scope[];
}

/** One "connected application" of a user: an OAuth grant (oauth/connectedApps.ts answers it in each version's published shape). */
export interface Authorization {
  id: string;
  issuedAt: string;
  clientId: string;
  clientName: string;
  scopes: Scope[];
  provenance: 'dcr' | 'api';
}

export interface AuthorizationServer {
  /** Answers every OAuth request: interaction pages, then oidc-provider. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** The holder of a live access token (any audience), or undefined. */
  accessTokenHolder(token: string): Promise<TokenHolder | undefined>;
  listAuthorizations(accountId: string): Promise<Authorization[]>;
  /** Revokes one of the account's grants with all its tokens; false = not the account's. */
  revokeAuthorization(accountId: string, authorizationId: string): Promise<boolean>;
}

/** The static client that unauthenticated introspection requests are attributed to. */
export const INTROSPECTION_CLIENT_ID = 'lenses-hq-unauthenticated-introspection';

/** Lenses' OAuth paths. */
export const OAUTH_ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  introspection: '/oauth2/introspect',
  revocation: '/oauth2/revoke',
  registration: '/oauth2/register',
  jwks: '/oauth2/jwks',
  userinfo: '/oauth2/userinfo',
  end_session: '/oauth2/logout',
  pushed_authorization_request: '/oauth2/par',
} as const;

/**
 * Lenses HQ's authorization server, on oidc-provider: RFC 8414 metadata, open DCR
 * (RFC 7591) for public native clients, PKCE S256, refresh rotation, RFC 7662
 * introspection open to unauthenticated callers (HQ's `unauthenticatedIntrospection`),
 * RFC 7009 revocation, RFC 8707 resource indicators with opaque tokens.
 */
export async function createAuthorizationServer(options: AuthorizationServerOptions): Promise<AuthorizationServer> {
  const { default: ProviderClass, errors } = await loadOidcProvider();
  const { issuer, store, logger } = options;
  const modes = options.modes ?? {};
  const preRegistered = new Set(options.preRegisteredClients.map((client) => client.client_id));

  const staticClients: ClientMetadata[] = [
    {
      client_id: INTROSPECTION_CLIENT_ID,
      client_name: 'Unauthenticated introspection',
      token_endpoint_auth_method: 'none',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
    },
    ...options.preRegisteredClients.map((client): ClientMetadata => ({
      ...client,
      application_type: 'native',
      token_endpoint_auth_method: client.client_secret ? (client.token_endpoint_auth_method ?? 'client_secret_basic') : 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
  ];

  const configuration: Configuration = {
    adapter: store.adapterFor,
    clients: staticClients,
    clientDefaults: {
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
    responseTypes: ['code'],
    clientAuthMethods: modes.clientAuthMethods ?? ['none', 'client_secret_basic', 'client_secret_post'],
    // Documents of the CIMD mode come from memory: no network, no TLS server in tests.
    fetch: async (url) => {
      const document = modes.clientIdMetadataDocuments?.[url instanceof URL ? url.href : typeof url === 'string' ? url : url.url];
      return document ? Response.json(document) : new Response('not found', { status: 404 });
    },
    // Also OP scopes so that DCR requests carrying `scope: "read write delete"` (as MCP
    // clients send) are accepted and the scopes appear in scopes_supported.
    scopes: ['openid', 'offline_access', ...ALL_SCOPES],
    routes: OAUTH_ROUTES,
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [signingKey()] },
    findAccount: (_ctx, sub) => (Object.hasOwn(USERS, sub) ? { accountId: sub, claims: () => ({ sub, preferred_username: sub }) } : undefined),
    pkce: { required: () => true },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    expiresWithSession: () => false,
    extraTokenClaims: (_ctx, token) => ('accountId' in token && token.accountId ? { username: token.accountId } : undefined),
    ttl: {
      AccessToken: options.tokenTtlSeconds,
      AuthorizationCode: 60,
      Grant: 14 * 24 * 3600,
      Interaction: 3600,
      RefreshToken: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
    },
    clientBasedCORS: () => true,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage({ ...out });
    },
    features: {
      devInteractions: { enabled: false },
      clientIdMetadataDocument: { enabled: modes.clientIdMetadataDocuments !== undefined, ack: 'draft-02' },
      registration: { enabled: options.dcr, initialAccessToken: false },
      registrationManagement: { enabled: options.dcr, rotateRegistrationAccessToken: false },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        // Unauthenticated callers (the resource server) may introspect access tokens
        // only: a refresh token is never valid as a bearer (RS-06).
        allowedPolicy: (_ctx, client, token) =>
          client.clientId === INTROSPECTION_CLIENT_ID ? token.kind === 'AccessToken' : token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf?.[0] ?? issuer,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (!/^https?:\/\//i.test(indicator)) throw new errors.InvalidTarget('resource must be an http(s) URL');
          return {
            scope: ALL_SCOPES.join(' '),
            audience: indicator,
            accessTokenTTL: options.tokenTtlSeconds,
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
  };

  const provider: Provider = new ProviderClass(issuer, configuration);
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => logger.error(error));
  provider.on('grant.revoked', (_ctx: KoaContextWithOIDC, grantId: string) => logger.info(`HQ: grant ${grantId} revoked`));
  if (modes.dcrUnaskedSecret) {
    // Real servers do this: a secret in the DCR answer although `none` was asked (oidc-provider never would).
    provider.use(async (ctx, next) => {
      await next();
      const route: unknown = (ctx as { oidc?: { route?: unknown } }).oidc?.route;
      const body: unknown = ctx.body;
      if (route === 'registration' && ctx.status === 201 && typeof body === 'object' && body !== null) {
        ctx.body = { ...body, client_secret: `unasked-${randomBytes(12).toString('base64url')}`, token_endpoint_auth_method: 'client_secret_basic' };
      }
    });
  }
  if (modes.introspectionScopeList) {
    provider.use(async (ctx, next) => {
      await next();
      const route: unknown = (ctx as { oidc?: { route?: unknown } }).oidc?.route;
      const body: unknown = ctx.body;
      if (route === 'introspection' && typeof body === 'object' && body !== null && 'scope' in body && typeof body.scope === 'string') {
        ctx.body = { ...body, scope: body.scope.split(' ').filter(Boolean) };
      }
    });
  }
  const callback = provider.callback();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      if (await handleInteraction(provider, logger, request, response)) return;
      if (modes.oidcDiscoveryOnly && new URL(request.url ?? '/', 'http://x').pathname.startsWith('/.well-known/oauth-authorization-server')) {
        sendHtml(response, 404, errorPage({ error: 'not_found' }));
        return;
      }
      await callback(await attributeUnauthenticatedIntrospection(request), response);
    } catch (error) {
      logger.error(error instanceof Error ? error : String(error));
      if (!response.headersSent) sendHtml(response, 500, errorPage({ error: 'server_error' }));
      else response.destroy();
    }
  }

  async function accessTokenHolder(token: string): Promise<TokenHolder | undefined> {
    const accessToken = await provider.AccessToken.find(token);
    if (!accessToken || !accessToken.accountId || !accessToken.isValid) return undefined;
    return { accountId: accessToken.accountId, clientId: accessToken.clientId ?? '', scopes: parseScopes(accessToken.scope) };
  }

  async function listAuthorizations(accountId: string): Promise<Authorization[]> {
    const authorizations: Authorization[] = [];
    for (const { id, payload } of store.grantsOf(accountId)) {
      const clientId = payload.clientId ?? '';
      const client = await provider.Client.find(clientId);
      const resourceScopes = Object.values(payload.resources ?? {}).join(' ');
      authorizations.push({
        id,
        issuedAt: new Date((payload.iat ?? 0) * 1000).toISOString(),
        clientId,
        clientName: client?.clientName ?? clientId,
        scopes: parseScopes(resourceScopes),
        provenance: preRegistered.has(clientId) ? 'api' : 'dcr',
      });
    }
    return authorizations.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
  }

  async function revokeAuthorization(accountId: string, authorizationId: string): Promise<boolean> {
    const grant = await provider.Grant.find(authorizationId);
    if (!grant || grant.accountId !== accountId) return false;
    await Promise.all([
      provider.AccessToken.revokeByGrantId(authorizationId),
      provider.RefreshToken.revokeByGrantId(authorizationId),
      provider.AuthorizationCode.revokeByGrantId(authorizationId),
    ]);
    await grant.destroy();
    logger.info(`HQ: ${accountId} revoked authorization ${authorizationId} (${grant.clientId})`);
    return true;
  }

  return { handle, accessTokenHolder, listAuthorizations, revokeAuthorization };
}

/**
 * oidc-provider always wants client authentication at introspection; Lenses HQ does
 * not. A request with no client credentials is attributed to the static
 * introspection client (auth method `none`) by adding its `client_id` to the body.
 */
async function attributeUnauthenticatedIntrospection(request: IncomingMessage): Promise<IncomingMessage> {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  if (request.method !== 'POST' || path !== OAUTH_ROUTES.introspection || request.headers.authorization) return request;
  if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return request;
  const form = new URLSearchParams((await readBody(request)).toString('utf8'));
  if (!form.has('client_id') && !form.has('client_assertion')) form.set('client_id', INTROSPECTION_CLIENT_ID);
  const body = Buffer.from(form.toString());
  const replayed = new IncomingMessage(request.socket);
  replayed.method = request.method;
  replayed.url = request.url;
  replayed.httpVersion = request.httpVersion;
  replayed.headers = { ...request.headers, 'content-length': String(body.length) };
  replayed.push(body);
  replayed.push(null);
  // The whole body is already here; without this, Node treats the message as aborted and destroys the socket.
  replayed.complete = true;
  return replayed;
}

/** A fresh RS256 signing key (the registration default alg; the emulator's tokens are opaque). */
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'hq-emulator' };
}
