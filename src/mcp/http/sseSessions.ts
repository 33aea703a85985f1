import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { sendError, sendText } from './httpResponses';
import { noteSessionScopes, scopeKey, type McpSessionContext } from './mcpSessionContext';
import { EVICTABLE_IDLE_MS, type SessionRegistry } from './sessionRegistry';
import { postedSessionId, SseServerTransport } from './sseTransport';
import type { ToolAccess } from '../toolAccess';

/** Sessions of the older HTTP+SSE transport: a GET /sse stream each, messages POSTed to /messages/. */
export class SseSessions {
  constructor(
    private readonly context: McpSessionContext,
    private readonly sessions: SessionRegistry<SseServerTransport>,
  ) {}

  /** GET /sse: a new session whose answers flow on this response. */
  async open(response: ServerResponse, access: ToolAccess, subject: string | undefined): Promise<void> {
    const { sessions, context } = this;
    const admission = sessions.admit(subject);
    if (typeof admission === 'string') return sendError(response, 503, admission, { 'Retry-After': String(EVICTABLE_IDLE_MS / 1000) });
    const server = context.newServer();
    const transport = new SseServerTransport(context.newSessionId(), response);
    const id = transport.sessionId;
    transport.onclose = () => {
      sessions.delete(id);
      void server.close().catch(() => {});
    };
    try {
      await context.connect(server, transport);
      // The client hung up while the server connected: its stream's close has passed, and nothing
      // would ever remove the session, so it is not added.
      if (response.destroyed) {
        await transport.close();
        await server.close();
        return;
      }
      // The stream itself is the handshake's carrier: count the session as initialized once it is open.
      sessions.add(id, { transport, server, scopes: scopeKey(access.scopes), subject, lastSeen: context.now(), initialized: true });
    } finally {
      admission.release();
    }
  }

  /** POST /messages/?session_id=…: one message of an open SSE session; 202, the answer goes on the stream. */
  post(request: IncomingMessage, response: ServerResponse, url: URL, body: unknown, access: ToolAccess, subject: string | undefined): void {
    const id = postedSessionId(url);
    if (id === undefined) return sendText(response, 400, 'session_id is required');
    const session = this.sessions.get(id);
    if (!session || (session.subject !== undefined && session.subject !== subject)) return sendText(response, 404, 'Could not find session');
    session.lastSeen = this.context.now();
    noteSessionScopes(session, id, access, this.context.logger);
    const authInfo = (request as IncomingMessage & { auth?: AuthInfo }).auth;
    if (!session.transport.receive(body, { authInfo })) return sendText(response, 400, 'Could not parse message');
    sendText(response, 202, 'Accepted');
  }
}
