import { HttpError, request, sameOriginAs, type BearerOrigins, type OutboundResponse } from '../http';
import { pathSegment } from './paths';
import { connectionErrorOf, LensesConnectionError, problemFromResponse } from './errors';

/**
 * One application holding an OAuth grant on the signed-in user's Lenses account, as
 * `GET /api/v0/users/me/oauth2/authorizations` lists it. Only `authorization_id` and
 * `authorization_issued_at` are documented; the rest may be absent.
 */
export interface Authorization {
  authorization_id: string;
  authorization_issued_at?: string;
  client_id?: string;
  client_name?: string;
  scopes?: string[];
  /** `dcr` (Dynamic Client Registration) or `api` (pre-registered). */
  registration_method?: string;
}

export interface ConnectedAppsOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** Where the bearer may go (CL-16); default the origin of `hqUrl` only. The editor passes its rule. */
  bearerOrigins?: BearerOrigins;
  /** Plain http to a host that is not loopback (`lenses.allowInsecureHttp`); default false. */
  allowInsecureHttp?: boolean;
}

const AUTHORIZATIONS_PATH = '/api/v0/users/me/oauth2/authorizations';
const DEFAULT_TIMEOUT_MS = 30_000;

/** Lists the applications holding a grant on the user's account. Throws `LensesApiError` / `LensesConnectionError`. */
export async function listAuthorizations(hqUrl: string, token: string, options: ConnectedAppsOptions = {}): Promise<Authorization[]> {
  const body = await call('GET', hqUrl, AUTHORIZATIONS_PATH, token, options);
  const items = isRecord(body) && Array.isArray(body.items) ? body.items : Array.isArray(body) ? body : [];
  return items.flatMap((item) => {
    const authorization = authorizationOf(item);
    return authorization ? [authorization] : [];
  });
}

/** Revokes one grant: its access and refresh tokens stop working at once. */
export async function revokeAuthorization(hqUrl: string, token: string, authorizationId: string, options: ConnectedAppsOptions = {}): Promise<void> {
  await call('DELETE', hqUrl, `${AUTHORIZATIONS_PATH}/${pathSegment(authorizationId)}`, token, options);
}

async function call(method: string, hqUrl: string, route: string, token: string, options: ConnectedAppsOptions): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = hqUrl.replace(/\/+$/, '');
  let response: OutboundResponse;
  try {
    response = await request(
      base + route,
      { method, headers: { Accept: 'application/json' } },
      {
        fetch: options.fetch,
        timeoutMs,
        signal: options.signal,
        allowInsecureHttp: options.allowInsecureHttp,
        bearer: { token, origins: options.bearerOrigins ?? sameOriginAs(base) },
      },
    );
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    throw connectionErrorOf(error, `${method} ${AUTHORIZATIONS_PATH}`, timeoutMs);
  }
  if (!response.ok) throw problemFromResponse(response.status, response.statusText, response.text);
  if (response.text.length === 0) return null;
  try {
    return JSON.parse(response.text);
  } catch {
    throw new LensesConnectionError('Lenses answered the applications list with malformed JSON');
  }
}

function authorizationOf(value: unknown): Authorization | undefined {
  if (!isRecord(value)) return undefined;
  const id = value.authorization_id;
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  const authorization: Authorization = { authorization_id: String(id) };
  const issuedAt = value.authorization_issued_at;
  if (typeof issuedAt === 'string' || typeof issuedAt === 'number') authorization.authorization_issued_at = String(issuedAt);
  if (typeof value.client_id === 'string' && value.client_id) authorization.client_id = value.client_id;
  if (typeof value.client_name === 'string' && value.client_name) authorization.client_name = value.client_name;
  const scopes = scopesOf(value.scopes ?? value.scope);
  if (scopes) authorization.scopes = scopes;
  if (typeof value.registration_method === 'string' && value.registration_method) authorization.registration_method = value.registration_method;
  return authorization;
}

function scopesOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((scope): scope is string => typeof scope === 'string');
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
