import { HttpError, request, sameOriginAs, type BearerOrigins, type OutboundResponse } from '../http';
import { pathSegment } from './paths';
import { connectionErrorOf, LensesConnectionError, problemFromResponse } from './errors';
import type { PublishedAuthorization } from './contract';
import { lazyContract } from './contract/lazyContract';
import { isRecord } from '../records';

/**
 * One application holding an OAuth grant on the signed-in user's Lenses account, read from
 * either published shape (contract/connectedApps.ts): 6.2's `grant_*` + `app_*` + `scope`,
 * or 6.3's `authorization_*` beside the deprecated `grant_*`.
 */
export interface Authorization {
  /** The id to revoke with: 6.3's `authorization_id`, else 6.2's `grant_id`. */
  id: string;
  issuedAt?: string;
  /** `app_display_name`, else `app_name`. */
  name?: string;
  clientId?: string;
  /** `app_provenance`: `dcr` (Dynamic Client Registration) or `api` (pre-registered). */
  provenance?: string;
  scopes: string[];
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
  const { authorization62, authorization63, CONNECTED_APPS, readAnswer } = lazyContract();
  const read = readAnswer(CONNECTED_APPS, body);
  if (read.known) return read.value.items.map(authorizationOf);
  // No published shape as a whole: keep every item that one version's item shape reads.
  const items = isRecord(body) && Array.isArray(body.items) ? body.items : [];
  return items.flatMap((item) => {
    const parsed = authorization63.safeParse(item);
    if (parsed.success) return [authorizationOf(parsed.data)];
    const older = authorization62
      .partial({ app_name: true, app_display_name: true, app_client_id: true, app_provenance: true, scope: true, grant_issued_at: true })
      .safeParse(item);
    return older.success ? [authorizationOf(older.data)] : [];
  });
}

/** Revokes one grant (`Authorization.id`, the id its version gives): its access and refresh tokens stop working at once. */
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
  if (!response.ok) throw problemFromResponse(response.status, response.statusText, response.text, token);
  if (response.text.length === 0) return null;
  try {
    return JSON.parse(response.text);
  } catch {
    throw new LensesConnectionError('Lenses answered the applications list with malformed JSON');
  }
}

/** The keys of either version's item (every one optional: 6.2 lacks `authorization_*`, 6.3's `app_*` are not visible in its reference). */
interface PublishedItem {
  authorization_id?: string;
  authorization_issued_at?: string;
  grant_id?: string;
  grant_issued_at?: string;
  app_name?: string;
  app_display_name?: string;
  app_client_id?: string;
  app_provenance?: string;
  scope?: string[];
}

function authorizationOf(published: PublishedAuthorization | PublishedItem): Authorization {
  const item = published as PublishedItem;
  const id = item.authorization_id ?? item.grant_id ?? '';
  const issuedAt = item.authorization_issued_at ?? item.grant_issued_at;
  const name = nonEmpty(item.app_display_name) ?? nonEmpty(item.app_name);
  return {
    id,
    ...(issuedAt ? { issuedAt } : {}),
    ...(name ? { name } : {}),
    ...(nonEmpty(item.app_client_id) ? { clientId: item.app_client_id } : {}),
    ...(nonEmpty(item.app_provenance) ? { provenance: item.app_provenance } : {}),
    scopes: item.scope ?? [],
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value ? value : undefined;
}
