import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LensesVersion } from '../../src/lenses/contract';
import { sendJson, sendProblem } from './http';
import type { Authorization, AuthorizationServer } from './authorizationServer';

/** Who made a request, as far as the connected-applications routes care. */
export type Authenticate = (request: IncomingMessage) => Promise<{ subject: string } | undefined>;

const LIST_PATH = '/api/v0/users/me/oauth2/authorizations';

/**
 * Lenses' "connected applications" API for the signed-in user:
 * GET  /api/v0/users/me/oauth2/authorizations       → {items:[…]} (the caller's grants only)
 * DELETE /api/v0/users/me/oauth2/authorizations/{id} → 204; its tokens are inactive at once.
 * Items in `version`'s published shape (src/lenses/contract/connectedApps.ts): 6.2
 * `{grant_id, grant_issued_at, app_name, app_display_name, app_client_id, app_provenance, scope[]}`;
 * 6.3 adds `authorization_id` / `authorization_issued_at` and keeps the deprecated `grant_*`.
 * Returns false when the path is not one of these.
 */
export async function handleConnectedApps(
  server: Pick<AuthorizationServer, 'listAuthorizations' | 'revokeAuthorization'>,
  authenticate: Authenticate,
  request: IncomingMessage,
  response: ServerResponse,
  version: LensesVersion,
): Promise<boolean> {
  const path = new URL(request.url ?? '/', 'http://x').pathname.replace(/\/+$/, '');
  const isList = path === LIST_PATH;
  const isItem = path.startsWith(`${LIST_PATH}/`) && path.length > LIST_PATH.length + 1;
  if (!isList && !isItem) return false;

  const caller = await authenticate(request);
  if (!caller) {
    sendProblem(response, 401, 'Unauthorized', 'A valid bearer token is required.', { 'www-authenticate': 'Bearer' });
    return true;
  }

  if (isList && request.method === 'GET') {
    sendJson(response, 200, { items: (await server.listAuthorizations(caller.subject)).map((item) => publishedAuthorization(item, version)) });
    return true;
  }
  if (isItem && request.method === 'DELETE') {
    const id = decodeURIComponent(path.slice(LIST_PATH.length + 1));
    if (await server.revokeAuthorization(caller.subject, id)) {
      response.writeHead(204).end();
    } else {
      sendProblem(response, 404, 'Not Found', 'No such authorization for this user.');
    }
    return true;
  }
  sendProblem(response, 405, 'Method Not Allowed', undefined, { allow: isList ? 'GET' : 'DELETE' });
  return true;
}

/** One grant as `version` publishes it. The emulator's app name is the client's registered name; its display name the same. */
export function publishedAuthorization(authorization: Authorization, version: LensesVersion): Record<string, unknown> {
  const v62 = {
    grant_id: authorization.id,
    grant_issued_at: authorization.issuedAt,
    app_name: authorization.clientName,
    app_display_name: authorization.clientName,
    app_client_id: authorization.clientId,
    app_provenance: authorization.provenance,
    scope: [...authorization.scopes],
  };
  if (version === '6.2') return v62;
  return { authorization_id: authorization.id, authorization_issued_at: authorization.issuedAt, ...v62 };
}
