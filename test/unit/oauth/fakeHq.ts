import type { OAuthSession } from '../../../src/oauth';
import { Arrivals, FakeFetch, json, type RecordedRequest } from './fakes';

export const ISSUER = 'https://hq.example.com';

/** A stored session at ISSUER whose access token expires at 1 h on the fake clock. */
export function storedSession(overrides: Partial<OAuthSession> = {}): OAuthSession {
  return {
    id: 's1',
    issuer: ISSUER,
    clientId: 'client-1',
    resource: ISSUER,
    accessToken: 'at-old-secretvalue',
    refreshToken: 'rt-old-secretvalue',
    expiresAt: 3600_000,
    scopes: ['read', 'write'],
    account: { id: 'admin', label: 'admin' },
    ...overrides,
  };
}

/** Knobs for a fake HQ authorization server served by a FakeFetch. */
export interface FakeHqOptions {
  metadata?: Record<string, unknown>;
  /** Answer of DCR; default 201 with a fresh client_id. */
  register?: (request: RecordedRequest) => Response;
  /** Answer of the token endpoint; default issues tokens with the asked scope. */
  token?: (request: RecordedRequest, form: URLSearchParams) => Response | Promise<Response>;
}

export function metadata(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/oauth2/authorize`,
    token_endpoint: `${ISSUER}/oauth2/token`,
    registration_endpoint: `${ISSUER}/oauth2/register`,
    introspection_endpoint: `${ISSUER}/oauth2/introspect`,
    revocation_endpoint: `${ISSUER}/oauth2/revoke`,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    response_types_supported: ['code'],
    ...overrides,
  };
}

/** A fake HQ: metadata, DCR, token (code + refresh with rotation), introspection, revocation. */
export function fakeHq(options: FakeHqOptions = {}): FakeFetch & { issued: string[] } {
  const fake = new FakeFetch() as FakeFetch & { issued: string[] };
  fake.issued = [];
  let counter = 0;
  const next = (kind: string) => {
    const token = `${kind}-${++counter}-secretvalue`;
    fake.issued.push(token);
    return token;
  };
  fake.on('GET /.well-known/oauth-authorization-server', () => json(options.metadata ?? metadata()));
  fake.on(
    'POST /oauth2/register',
    (request) => options.register?.(request) ?? json({ client_id: `client-${++counter}`, token_endpoint_auth_method: 'none' }, 201),
  );
  fake.on('POST /oauth2/token', (request) => {
    const form = new URLSearchParams(request.body);
    if (options.token) return options.token(request, form);
    return json({
      access_token: next('at'),
      refresh_token: next('rt'),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: form.get('scope') ?? 'read write delete',
    });
  });
  fake.on('POST /oauth2/introspect', () => json({ active: true, sub: 'admin', username: 'admin' }));
  fake.on('POST /oauth2/revoke', () => new Response(null, { status: 200 }));
  return fake;
}

/** A page the browser showed after following the redirect (the listener's answer). */
export interface LoadedPage {
  status: number;
  text: string;
}

/**
 * A browser that "logs in" at once: reads the authorization URL and calls the
 * redirect URI with a code, the state and iss — changed as the test says.
 * `loaded.nth(1)` waits for the listener's page, which loads after openBrowser returned.
 */
export function instantBrowser(change: (params: URLSearchParams, authorization: URL) => void = () => {}, path = '/callback') {
  const opened: URL[] = [];
  const loaded = new Arrivals<LoadedPage>();
  const openBrowser = async (url: string) => {
    const authorization = new URL(url);
    opened.push(authorization);
    const redirect = new URL(authorization.searchParams.get('redirect_uri') ?? '');
    const params = new URLSearchParams({ code: 'the-code', state: authorization.searchParams.get('state') ?? '', iss: ISSUER });
    change(params, authorization);
    redirect.pathname = path;
    redirect.search = params.toString();
    // Like a real browser: the page loads on its own while openBrowser has returned.
    void fetch(redirect).then(
      async (response) => loaded.add({ status: response.status, text: await response.text() }),
      () => {},
    );
    return true;
  };
  return { openBrowser, opened, loaded };
}

/** A browser the user has not finished with yet: records each authorization URL it was asked to open. */
export function waitingBrowser() {
  const opened = new Arrivals<URL>();
  const openBrowser = async (url: string) => {
    opened.add(new URL(url));
    return true;
  };
  return { openBrowser, opened };
}

/** The callback URL the browser would come back to for `authorization`, with `code` and the right state and iss. */
export function callbackFor(authorization: URL, code = 'c'): string {
  return `${authorization.searchParams.get('redirect_uri') ?? ''}?code=${code}&state=${authorization.searchParams.get('state') ?? ''}&iss=${encodeURIComponent(ISSUER)}`;
}
