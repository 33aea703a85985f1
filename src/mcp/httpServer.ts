import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { fingerprint, silentLogger, type Logger } from '../log';
import type { Scope } from '../scopes';
import type { RequestAuthenticator } from './authentication';
import { BoundedEventStore } from './eventStore';
import { calledToolNames, HostAllowList, HttpError, isInitializedNotification, isInitializeRequest, readJsonBody } from './httpGuards';
import { fixedGovernance, policyRefusal, type Governance } from './governance';
import { attachAccess, createLensesMcpServer, type ToolAccess } from './server';
import { DEFAULT_SESSION_LIMITS, EVICTABLE_IDLE_MS, SessionRegistry } from './sessionRegistry';
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
  /** MCP_ADVERTISED_URL (PRM `resource` = this + /mcp); its host is accepted in Host and Origin. */
  advertisedUrl?: string;
  /** MCP_ALLOWED_HOSTS: more host names accepted in Host and Origin (besides loopback names). */
  allowedHosts?: readonly string[];
  /** OAuth mode only: served at /.well-known/oauth-protected-resource[/mcp]. */
  protectedResourceMetadata?: object;
  logger?: Logger;
  fetch?: typeof fetch;
  /** Timeout of each HQ call (default 30 s). */
  hqTimeoutMs?: number;
  /** Most characters of text per tool answer (see `LensesMcpServerOptions`). */
  maxToolOutputChars?: number | (() => number);
  /**
   * Resumable SSE streams (event ids, a priming event, replay on reconnect); default true.
   * The embedded server turns them off: its loopback streams do not drop, and VS Code 1.139
   * logs a warning for the empty priming event.
   */
  resumableStreams?: boolean;
  /** Time to receive a whole request, body included (default 60 s); slower ones get 408. */
  requestTimeoutMs?: number;
  /** Open sessions at most (MCP_MAX_SESSIONS, default 1000). */
  maxSessions?: number;
  /** Open sessions per subject (MCP_MAX_SESSIONS_PER_USER, default 20); API-key and embedded requests have none. */
  maxSessionsPerSubject?: number;
  /** Sessions without a request for this long are closed (default 30 min). */
  sessionIdleMs?: number;
  /** Sessions that never sent notifications/initialized are closed after this long (default 30 s). */
  uninitializedSessionIdleMs?: number;
  /** The clock session idleness is measured with. */
  now?: () => number;
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

const MCP_PATH = '/mcp';
/** Reconnection delay suggested to clients in SSE `retry:` fields. */
const SSE_RETRY_MS = 1000;
const PRM_PATHS = new Set(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']);

/**
 * The Lenses MCP server over streamable HTTP at /mcp: Host/Origin checks on every bind
 * address (RS-12, RS-17), authentication by the given authenticator, RS-13 body limits, the
 * insufficient_scope challenge for tools/call, capped sessions, then the SDK transport.
 */
export async function startMcpHttpServer(options: McpHttpServerOptions): Promise<RunningMcpHttpServer> {
  const logger = options.logger ?? silentLogger;
  const authenticator = options.authenticator;
  const sessions = new SessionRegistry(
    {
      maxSessions: options.maxSessions ?? DEFAULT_SESSION_LIMITS.maxSessions,
      maxSessionsPerSubject: options.maxSessionsPerSubject ?? DEFAULT_SESSION_LIMITS.maxSessionsPerSubject,
      idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_LIMITS.idleMs,
      uninitializedIdleMs: options.uninitializedSessionIdleMs ?? DEFAULT_SESSION_LIMITS.uninitializedIdleMs,
    },
    logger,
    options.now ?? Date.now,
  );
  const now = options.now ?? Date.now;
  const toolScopes = new Map(LENSES_TOOLS.map((tool) => [tool.name, tool.scope]));
  const hosts = new HostAllowList({ advertisedUrl: options.advertisedUrl, allowedHosts: options.allowedHosts });
  const refusedHosts = new Set<string>();
  const governance = options.governance ?? fixedGovernance(undefined, { logger });
  // A tool the governance rules turn off gets a tool error saying so, not a scope challenge a step-up cannot satisfy.
  const offByPolicy = (name: string) => LENSES_TOOLS.some((tool) => tool.name === name && policyRefusal(tool, governance.rules().tools) !== undefined);

  const newServer = () =>
    createLensesMcpServer({
      lensesUrl: options.lensesUrl,
      fetch: options.fetch,
      logger,
      hqTimeoutMs: options.hqTimeoutMs,
      maxToolOutputChars: options.maxToolOutputChars,
      tokenRejected: (token) => authenticator.tokenRejected?.(token),
      sessionLost: (reason) => authenticator.sessionLost?.(reason),
      credential: authenticator.credential,
      governance,
    });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refusal = hosts.refusal(request);
    if (refusal) {
      // One line per refused name, bounded: a misconfigured proxy shows up, a flood does not fill the log.
      if (refusedHosts.size < 32 && !refusedHosts.has(refusal)) {
        refusedHosts.add(refusal);
        logger.warn(`Refused a request: ${refusal}`);
      }
      return sendError(response, 403, refusal);
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
      authentication.kind === 'granted' ? { kind: 'granted', token: authentication.token, scopes: authentication.scopes, lensesUrl: authentication.lensesUrl } : authentication;
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
      session.lastSeen = now();
      if (isInitializedNotification(body)) session.initialized = true;
      const scopes = scopeKey(access.scopes);
      if (scopes !== session.scopes) {
        session.scopes = scopes;
        logger.info(`Session ${sessionId.slice(0, 8)} now has scopes "${scopes}": tools changed`);
        void session.server.sendToolListChanged().catch(() => {});
      }
      return session.transport.handleRequest(request, response, body);
    }
    if (request.method !== 'POST' || !isInitializeRequest(body)) return sendError(response, 400, 'Bad Request: no valid session ID (send initialize first)');
    const admission = sessions.admit(subject);
    if (typeof admission === 'string') return sendError(response, 503, admission, { 'Retry-After': String(EVICTABLE_IDLE_MS / 1000) });

    const server = newServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      ...(options.resumableStreams === false ? {} : { eventStore: new BoundedEventStore(), retryInterval: SSE_RETRY_MS }),
      onsessioninitialized: (id) => {
        admission.release();
        sessions.add(id, { transport, server, scopes: scopeKey(access.scopes), subject, lastSeen: now(), initialized: false });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    try {
      await server.connect(transport);
      await transport.handleRequest(request, response, body);
    } finally {
      admission.release();
    }
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
  const sweeper = setInterval(() => sessions.sweep(), sessions.sweepIntervalMs);
  sweeper.unref();
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  logger.info(`Lenses MCP server listening on http://${hostForUrl}:${port}${MCP_PATH}${options.stateless ? ' (stateless)' : ''}`);
  logger.info(`Answering Host and Origin: loopback names${hosts.extraNames.length > 0 ? `, ${hosts.extraNames.join(', ')}` : ''}`);

  return {
    url: `http://${hostForUrl}:${port}${MCP_PATH}`,
    port,
    notifyToolsChanged() {
      for (const session of sessions.values()) void session.server.sendToolListChanged().catch(() => {});
    },
    async close() {
      clearInterval(sweeper);
      await sessions.closeAll();
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
