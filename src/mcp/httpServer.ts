import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { fingerprint, silentLogger, type Logger } from '../log';
import type { Scope } from '../scopes';
import type { RequestAuthenticator } from './authentication';
import { BoundedEventStore } from './eventStore';
import { isLoopbackHost } from '../loopback';
import { calledToolNames, HttpError, isInitializeRequest, readJsonBody, rebindingRefusal } from './httpGuards';
import { fixedGovernance, policyRefusal, type Governance } from './governance';
import { attachAccess, createLensesMcpServer, type ToolAccess } from './server';
import { LENSES_TOOLS } from './tools';

export interface McpHttpServerOptions {
  host: string;
  /** 0 = ephemeral. */
  port: number;
  /** HQ base URL the tools call. */
  lensesUrl: string;
  authenticator: RequestAuthenticator;
  /** MCP_STATELESS_HTTP: no sessions, one server per request (replicas behind a load balancer). */
  stateless?: boolean;
  /** OAuth mode: MCP_ADVERTISED_URL (PRM `resource` = this + /mcp). */
  advertisedUrl?: string;
  /** OAuth mode only: served at /.well-known/oauth-protected-resource[/mcp]. */
  protectedResourceMetadata?: object;
  logger?: Logger;
  fetch?: typeof fetch;
  /** Timeout of each HQ call (default 30 s). */
  hqTimeoutMs?: number;
  /**
   * Resumable SSE streams (event ids, a priming event, replay on reconnect); default true.
   * The embedded server turns them off: its loopback streams do not drop, and VS Code 1.139
   * logs a warning for the empty priming event.
   */
  resumableStreams?: boolean;
  /** Time to receive a whole request, body included (default 60 s); slower ones get 408. */
  requestTimeoutMs?: number;
  /** Read-only mode, tool filters, protected environments, audit trail; shared by every session. */
  governance?: Governance;
}

export interface RunningMcpHttpServer {
  /** http://host:port/mcp */
  url: string;
  port: number;
  /** Sends notifications/tools/list_changed to every session. */
  notifyToolsChanged(): void;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: Server;
  /** The scopes the session last listed tools with; a change sends list_changed. */
  scopes: string;
  /** Who opened it (OAuth `sub`); another subject cannot use it. */
  subject?: string;
  /** Last request (epoch ms): idle sessions are closed. */
  lastSeen: number;
}

/** Sessions without a request for this long are closed (clients that never sent DELETE). */
const SESSION_IDLE_MS = 30 * 60_000;

const MCP_PATH = '/mcp';
/** Reconnection delay suggested to clients in SSE `retry:` fields. */
const SSE_RETRY_MS = 1000;
const PRM_PATHS = new Set(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']);

/**
 * The Lenses MCP server over streamable HTTP at /mcp: RS-12 Host/Origin checks when bound
 * to loopback, authentication by the given authenticator, RS-13 body limits, the
 * insufficient_scope challenge for tools/call, then the SDK transport.
 */
export async function startMcpHttpServer(options: McpHttpServerOptions): Promise<RunningMcpHttpServer> {
  const logger = options.logger ?? silentLogger;
  const authenticator = options.authenticator;
  const sessions = new Map<string, Session>();
  const toolScopes = new Map(LENSES_TOOLS.map((tool) => [tool.name, tool.scope]));
  const governance = options.governance ?? fixedGovernance(undefined, { logger });
  // A tool the governance rules turn off gets a tool error saying so, not a scope challenge a step-up cannot satisfy.
  const offByPolicy = (name: string) => LENSES_TOOLS.some((tool) => tool.name === name && policyRefusal(tool, governance.rules().tools) !== undefined);
  const loopback = isLoopbackHost(options.host);

  const newServer = () =>
    createLensesMcpServer({
      lensesUrl: options.lensesUrl,
      fetch: options.fetch,
      logger,
      hqTimeoutMs: options.hqTimeoutMs,
      tokenRejected: (token) => authenticator.tokenRejected?.(token),
      sessionLost: (reason) => authenticator.sessionLost?.(reason),
      governance,
    });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (loopback) {
      const refusal = rebindingRefusal(request);
      if (refusal) return sendError(response, 403, refusal);
    }
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (PRM_PATHS.has(path) && options.protectedResourceMetadata) {
      if (request.method !== 'GET') return sendError(response, 405, 'Method not allowed');
      response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' });
      return void response.end(JSON.stringify(options.protectedResourceMetadata));
    }
    if (path !== MCP_PATH) return sendError(response, 404, 'Not found: the MCP endpoint is /mcp');
    if (request.method !== 'POST' && request.method !== 'GET' && request.method !== 'DELETE') return sendError(response, 405, 'Method not allowed', { Allow: 'GET, POST, DELETE' });

    const authentication = await authenticator.authenticate(request);
    if (authentication.kind === 'rejected') return sendError(response, authentication.status, authentication.message, authentication.headers);
    const access: ToolAccess =
      authentication.kind === 'granted' ? { kind: 'granted', token: authentication.token, scopes: authentication.scopes } : authentication;
    const subject = authentication.kind === 'granted' ? authentication.subject : undefined;
    attachAccess(request, access);

    let body: unknown;
    if (request.method === 'POST') {
      body = await readJsonBody(request);
      for (const name of calledToolNames(body)) {
        const needed = toolScopes.get(name);
        if (needed && !access.scopes.has(needed) && authenticator.insufficientScope && !offByPolicy(name)) {
          const refusal = authenticator.insufficientScope(access.scopes, needed);
          logger.info(`Refused ${name}: needs "${needed}"${access.kind === 'granted' ? ` (token ${fingerprint(access.token)})` : ''}`);
          return sendError(response, refusal.status, refusal.message, refusal.headers);
        }
      }
    }

    if (options.stateless) return handleStateless(request, response, body);

    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session || (session.subject !== undefined && session.subject !== subject)) return sendError(response, 404, 'Session not found: initialize a new one', {}, -32001);
      session.lastSeen = Date.now();
      const scopes = scopeKey(access.scopes);
      if (scopes !== session.scopes) {
        session.scopes = scopes;
        logger.info(`Session ${sessionId.slice(0, 8)} now has scopes "${scopes}": tools changed`);
        void session.server.sendToolListChanged().catch(() => {});
      }
      return session.transport.handleRequest(request, response, body);
    }
    if (request.method !== 'POST' || !isInitializeRequest(body)) return sendError(response, 400, 'Bad Request: no valid session ID (send initialize first)');

    const server = newServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      ...(options.resumableStreams === false ? {} : { eventStore: new BoundedEventStore(), retryInterval: SSE_RETRY_MS }),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, scopes: scopeKey(access.scopes), subject, lastSeen: Date.now() });
        logger.info(`MCP session ${id.slice(0, 8)} opened (${sessions.size} open)`);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  }

  async function handleStateless(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
    if (request.method !== 'POST') return sendError(response, 405, 'Method not allowed: this server is stateless (POST only)', { Allow: 'POST' });
    const server = newServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  }

  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  // requestTimeout covers receiving the request (headers and body), not the response: SSE
  // streams stay open, while a body trickled in too slowly gets 408 (checked every interval).
  const httpServer = createServer({ requestTimeout: requestTimeoutMs, headersTimeout: Math.min(30_000, requestTimeoutMs), connectionsCheckingInterval: Math.min(30_000, Math.max(100, requestTimeoutMs / 4)) }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(response, error.status, error.message, error.status === 413 ? { Connection: 'close' } : {}, error.jsonRpcCode);
      logger.error(`MCP HTTP request failed: ${error instanceof Error ? error.message : String(error)}`);
      sendError(response, 500, 'Internal server error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const sweeper = setInterval(() => {
    const idleSince = Date.now() - SESSION_IDLE_MS;
    for (const [id, session] of sessions) {
      if (session.lastSeen >= idleSince) continue;
      sessions.delete(id);
      logger.info(`MCP session ${id.slice(0, 8)} closed after ${SESSION_IDLE_MS / 60_000} idle minutes`);
      void session.transport.close().then(() => session.server.close());
    }
  }, 60_000);
  sweeper.unref();
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  logger.info(`Lenses MCP server listening on http://${hostForUrl}:${port}${MCP_PATH}${options.stateless ? ' (stateless)' : ''}`);

  return {
    url: `http://${hostForUrl}:${port}${MCP_PATH}`,
    port,
    notifyToolsChanged() {
      for (const session of sessions.values()) void session.server.sendToolListChanged().catch(() => {});
    },
    async close() {
      clearInterval(sweeper);
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map(async (session) => {
        await session.transport.close();
        await session.server.close();
      }));
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      logger.info('Lenses MCP server stopped');
    },
  };
}

function scopeKey(scopes: ReadonlySet<Scope>): string {
  return [...scopes].sort().join(' ');
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, code = -32600): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
