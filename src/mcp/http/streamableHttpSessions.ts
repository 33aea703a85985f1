import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport as StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { BoundedEventStore } from './eventStore';
import { isInitializedNotification, isInitializeRequest } from './httpGuards';
import { sendError } from './httpResponses';
import { noteSessionScopes, scopeKey, type McpSessionContext } from './mcpSessionContext';
import { EVICTABLE_IDLE_MS, type SessionRegistry } from './sessionRegistry';
import type { ToolAccess } from '../toolAccess';

/** Reconnection delay suggested to clients in SSE `retry:` fields. */
const SSE_RETRY_MS = 1000;

/** Sessionful streamable HTTP at /mcp: requests of open sessions, and initialize opening new ones (capped). */
export class StreamableHttpSessions {
  constructor(
    private readonly context: McpSessionContext,
    private readonly sessions: SessionRegistry,
    /** Event ids, a priming event and replay on reconnect (see `McpHttpServerOptions.resumableStreams`). */
    private readonly resumableStreams: boolean,
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse, body: unknown, access: ToolAccess, subject: string | undefined): Promise<void> {
    const { sessions, context } = this;
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session || (session.subject !== undefined && session.subject !== subject))
        return sendError(response, 404, 'Session not found: initialize a new one', {}, -32001);
      session.lastSeen = context.now();
      if (isInitializedNotification(body)) session.initialized = true;
      noteSessionScopes(session, sessionId, access, context.logger);
      return session.transport.handleRequest(request, response, body);
    }
    if (request.method !== 'POST' || !isInitializeRequest(body)) return sendError(response, 400, 'Bad Request: no valid session ID (send initialize first)');
    const admission = sessions.admit(subject);
    if (typeof admission === 'string') return sendError(response, 503, admission, { 'Retry-After': String(EVICTABLE_IDLE_MS / 1000) });

    const server = context.newServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => context.newSessionId(),
      ...(this.resumableStreams ? { eventStore: new BoundedEventStore(), retryInterval: SSE_RETRY_MS } : {}),
      onsessioninitialized: (id) => {
        admission.release();
        sessions.add(id, { transport, server, scopes: scopeKey(access.scopes), subject, lastSeen: context.now(), initialized: false });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    try {
      await context.connect(server, transport);
      await transport.handleRequest(request, response, body);
    } finally {
      admission.release();
    }
  }
}
