import { randomBytes } from 'node:crypto';
import type { Scope } from '../../src/scopes';
import type { RunningHq } from '../server';
import { completeAuthorizationInBrowserless } from './browserless';
import { createPkce } from './pkce';

export interface ObtainTokensOptions {
  /** Default "admin" (the emulator's users are "admin" and "alice"). */
  username?: string;
  /** Default: the username (the emulator's users have password = name). */
  password?: string;
  /** Scopes asked for and ticked on the consent page. */
  scopes: Scope[];
  /** RFC 8707 resource; absent = HQ's default resource (its own URL). */
  resource?: string;
  /** Name for DCR; default "Test client". */
  clientName?: string;
  /** Skip DCR and use this client (e.g. a pre-registered one). */
  clientId?: string;
  /** Default http://127.0.0.1/callback (loopback: any port matches). */
  redirectUri?: string;
}

export interface ObtainedTokens {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
  scope: string;
  clientId: string;
}

/** Registers a public native client by DCR (RFC 7591) and returns its client_id. */
export async function registerClient(hq: Pick<RunningHq, 'url'>, clientName: string, redirectUri: string): Promise<string> {
  const response = await fetch(`${hq.url}/oauth2/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: clientName,
      redirect_uris: [redirectUri],
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    }),
  });
  const body = (await response.json()) as { client_id?: string; error?: string; error_description?: string };
  if (response.status !== 201 || !body.client_id) throw new Error(`DCR failed (${response.status}): ${body.error ?? ''} ${body.error_description ?? ''}`);
  return body.client_id;
}

/**
 * The whole headless OAuth flow over HTTP: DCR (or `clientId`) → authorize with PKCE
 * S256 (+ `resource`) → login form → consent with only `scopes` ticked → code exchange.
 */
export async function obtainTokens(hq: Pick<RunningHq, 'url'>, options: ObtainTokensOptions): Promise<ObtainedTokens> {
  const username = options.username ?? 'admin';
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1/callback';
  const clientId = options.clientId ?? (await registerClient(hq, options.clientName ?? 'Test client', redirectUri));
  const pkce = createPkce();
  const state = randomBytes(16).toString('base64url');

  const authorize = new URL(`${hq.url}/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: options.scopes.join(' '),
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    ...(options.resource ? { resource: options.resource } : {}),
  }).toString();

  const callback = await completeAuthorizationInBrowserless(authorize.href, {
    username,
    password: options.password ?? username,
    tick: options.scopes,
  });
  const error = callback.searchParams.get('error');
  if (error) throw new Error(`authorization failed: ${error} ${callback.searchParams.get('error_description') ?? ''}`);
  if (callback.searchParams.get('state') !== state) throw new Error('authorization answered with another state');
  if (callback.searchParams.get('iss') !== hq.url) throw new Error('authorization answered with another iss');
  const code = callback.searchParams.get('code');
  if (!code) throw new Error('authorization answered without a code');

  const response = await fetch(`${hq.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: pkce.verifier,
      client_id: clientId,
      ...(options.resource ? { resource: options.resource } : {}),
    }).toString(),
  });
  const body = (await response.json()) as {
    access_token?: string;
    refresh_token?: string;
    expires_in?: number;
    scope?: string;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token) throw new Error(`code exchange failed (${response.status}): ${body.error ?? ''} ${body.error_description ?? ''}`);
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresIn: body.expires_in ?? 0,
    scope: body.scope ?? '',
    clientId,
  };
}
