import { pathSegment } from './paths';
import { LensesConnectionError, problemFromResponse } from './errors';

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
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const base = hqUrl.replace(/\/+$/, '');
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(new URL(base + route), {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      signal,
      redirect: 'manual',
    });
    text = await response.text();
  } catch (error) {
    if (timeout.aborted) throw new LensesConnectionError(`Lenses did not answer within ${timeoutMs} ms`);
    if (options.signal?.aborted) throw new LensesConnectionError('The request to Lenses was cancelled');
    throw new LensesConnectionError(`Could not reach Lenses at ${base}`, { cause: error });
  }
  if (!response.ok) throw problemFromResponse(response.status, response.statusText, text);
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
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
