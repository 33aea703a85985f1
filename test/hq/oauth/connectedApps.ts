import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendProblem } from './http';
import type { AuthorizationServer } from './authorizationServer';

/** Who made a request, as far as the connected-applications routes care. */
export type Authenticate = (request: IncomingMessage) => Promise<{ subject: string } | undefined>;

const LIST_PATH = '/api/v0/users/me/oauth2/authorizations';

/**
 * Lenses' "connected applications" API for the signed-in user:
 * GET  /api/v0/users/me/oauth2/authorizations       → {items:[…]} (the caller's grants only)
 * DELETE /api/v0/users/me/oauth2/authorizations/{id} → 204; its tokens are inactive at once.
 * Returns false when the path is not one of these.
 */
export async function handleConnectedApps(
  server: Pick<AuthorizationServer, 'listAuthorizations' | 'revokeAuthorization'>,
  authenticate: Authenticate,
  request: IncomingMessage,
  response: ServerResponse,
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
    sendJson(response, 200, { items: await server.listAuthorizations(caller.subject) });
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
