import * as oauth from 'oauth4webapi';
import { OAuthError } from './errors';

/** The token-endpoint authentication methods this client can use. */
export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** A client as the token, revocation and refresh requests need it: its ID and how it authenticates. */
export interface TokenClient {
  clientId: string;
  method: TokenEndpointAuthMethod;
  /** oauth4webapi's ClientAuth for `method` (holds the secret, when there is one). */
  auth: oauth.ClientAuth;
}

/** A public client (`none`): only `client_id` in the body. */
export function publicTokenClient(clientId: string): TokenClient {
  return { clientId, method: 'none', auth: oauth.None() };
}

/**
 * A confidential client's authentication with the authorization server, as its metadata
 * advertises (RFC 8414 §2 `token_endpoint_auth_methods_supported`): client_secret_basic
 * when listed (or when the list is absent, its default), else client_secret_post.
 * Refuses an authorization server that lists neither.
 */
export function confidentialTokenClient(as: oauth.AuthorizationServer, clientId: string, clientSecret: string): TokenClient {
  const supported = as.token_endpoint_auth_methods_supported;
  if (!supported || supported.includes('client_secret_basic')) return secretTokenClient(clientId, 'client_secret_basic', clientSecret);
  if (supported.includes('client_secret_post')) return secretTokenClient(clientId, 'client_secret_post', clientSecret);
  throw new OAuthError(
    'registration_failed',
    `The authorization server ${as.issuer} accepts no client secret at its token endpoint (it lists ${supported.join(', ') || 'no methods'}), so the configured client secret cannot be used.`,
  );
}

/** A client that authenticates with its secret the one way it was registered for (a confidential DCR client, CL-28). */
export function secretTokenClient(clientId: string, method: 'client_secret_basic' | 'client_secret_post', clientSecret: string): TokenClient {
  return { clientId, method, auth: method === 'client_secret_basic' ? clientSecretBasic(clientSecret) : oauth.ClientSecretPost(clientSecret) };
}

/**
 * HTTP Basic client authentication (RFC 6749 §2.3.1): ID and secret form-encoded, then base64.
 * Unlike oauth4webapi's ClientSecretBasic, `-` `.` `_` `~` `!` `*` `'` `(` `)` stay as they are
 * (encodeURIComponent): every server that form-decodes reads the same ID, and the many that
 * do not decode (the MCP conformance suite's among them) still recognise `my-client`
 * instead of seeing `my%2Dclient`.
 */
function clientSecretBasic(clientSecret: string): oauth.ClientAuth {
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${btoa(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(clientSecret)}`)}`);
  };
}

/** oauth4webapi's client object for a TokenClient. */
export function oauthClientOf(client: TokenClient): oauth.Client {
  return { client_id: client.clientId, token_endpoint_auth_method: client.method };
}
