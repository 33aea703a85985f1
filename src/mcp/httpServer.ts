import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { fingerprint, silentLogger, type Logger } from '../log';
import type { McpTelemetry } from '../telemetry/telemetry';
import type { Scope } from '../scopes';
import type { RequestAuthenticator } from './authentication';
import { BoundedEventStore } from './eventStore';
import { HEALTH_PATH, HqReadiness, READY_PATH, sendHealth, sendReadiness } from './health';
import { applyCors, calledToolNames, HostAllowList, HttpError, isInitializedNotification, isInitializeRequest, readJsonBody } from './httpGuards';
import { attachAccess, createLensesMcpServer, SERVER_VERSION, type ToolAccess } from './server';
import { DEFAULT_SESSION_LIMITS, EVICTABLE_IDLE_MS, SessionRegistry, type SessionLimits } from './sessionRegistry';
import { RequestDrain } from './shutdown';
import { postedSessionId, SSE_MESSAGE_PATH, SSE_STREAM_PATH, SseServerTransport } from './sseTransport';
import { fixedGovernance, policyRefusal, type Governance } from './governance';
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
  /** `http` (default): streamable HTTP at /mcp; `sse`: the older HTTP+SSE transport at /sse and /messages/. */
  transport?: 'http' | 'sse';
  /** MCP_REPLICA_ID: session IDs are `<replicaId>.<uuid>`, so a load balancer can route them. */
  replicaId?: string;
  /** OTEL_ENABLED: a span per MCP request (HQ-call spans come from the fetch it is given). */
  telemetry?: McpTelemetry;
  /** MCP_ADVERTISED_URL (PRM `resource` = this + /mcp); its host is accepted in Host and Origin. */
  advertisedUrl?: string;
  /** MCP_ALLOWED_HOSTS: more host names accepted in Host and Origin (besides loopback names). */
  allowedHosts?: readonly string[];
  /** OAuth mode only: served at /.well-known/oauth-protected-resource[/mcp]. */
  protectedResourceMetadata?: object;
  logger?: Logger;
  fetch?: typeof fetch;
  /** The fetch of /ready's HQ check (default `fetch`): untraced, so probes make no spans. */
  probeFetch?: typeof fetch;
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
  /** http://host:port/mcp (or /sse) */
  url: string;
  port: number;
  /** Sends notifications/tools/list_changed to every session. */
  notifyToolsChanged(): void;
  /** Stops; with `graceMs`, first stops accepting and lets in-flight requests finish for that long (SIGTERM). */
  close(options?: { graceMs?: number }): Promise<void>;
}

const MCP_PATH = '/mcp';
/** The longest a readiness probe waits for HQ (probes time out quickly themselves). */
const READY_TIMEOUT_MS = 5000;
/** Reconnection delay suggested to clients in SSE `retry:` fields. */
const SSE_RETRY_MS = 1000;
const PRM_PATH = '/.well-known/oauth-protected-resource';

/**
 * The Lenses MCP server over streamable HTTP at /mcp (or the older HTTP+SSE transport):
 * Host/Origin checks on every bind address (RS-12, RS-17), CORS, unauthenticated /health and
 * /ready, authentication by the given authenticator, RS-13 body limits, the
 * insufficient_scope challenge for tools/call, capped sessions, then the transport.
 */
export async function startMcpHttpServer(options: McpHttpServerOptions): Promise<RunningMcpHttpServer> {
  const logger = options.logger ?? silentLogger;
  const authenticator = options.authenticator;
  const now = options.now ?? Date.now;
  const limits: SessionLimits = {
    maxSessions: options.maxSessions ?? DEFAULT_SESSION_LIMITS.maxSessions,
    maxSessionsPerSubject: options.maxSessionsPerSubject ?? DEFAULT_SESSION_LIMITS.maxSessionsPerSubject,
    idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_LIMITS.idleMs,
    uninitializedIdleMs: options.uninitializedSessionIdleMs ?? DEFAULT_SESSION_LIMITS.uninitializedIdleMs,
  };
  const sessions = new SessionRegistry(limits, logger, now);
  const sseSessions = new SessionRegistry<SseServerTransport>(limits, logger, now);
  const sse = options.transport === 'sse';
  const endpointPath = sse ? SSE_STREAM_PATH : MCP_PATH;
  const newSessionId = () => (options.replicaId ? `${options.replicaId}.${randomUUID()}` : randomUUID());
  const readiness = new HqReadiness({
    lensesUrl: options.lensesUrl,
    timeoutMs: Math.min(options.hqTimeoutMs ?? 30_000, READY_TIMEOUT_MS),
    fetch: options.probeFetch ?? options.fetch,
    now,
  });
  const prmPaths = new Set([PRM_PATH, `${PRM_PATH}${endpointPath}`]);
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
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    drain.track(response, request.method === 'GET' && path === endpointPath);
    // Probes come from kubelets and balancers that address the pod by IP: no Host rule, and
    // nothing internal in the answer (status and version only).
    if (request.method === 'GET' && path === HEALTH_PATH) return sendHealth(response, SERVER_VERSION);
    if (request.method === 'GET' && path === READY_PATH) return sendReadiness(response, readiness, drain.isDraining, SERVER_VERSION);
    const refusal = hosts.refusal(request);
    if (refusal) {
      // One line per refused name, bounded: a misconfigured proxy shows up, a flood does not fill the log.
      if (refusedHosts.size < 32 && !refusedHosts.has(refusal)) {
        refusedHosts.add(refusal);
        logger.warn(`Refused a request: ${refusal}`);
      }
      return sendError(response, 403, refusal);
    }
    if (applyCors(request, response)) return;
    if (prmPaths.has(path) && options.protectedResourceMetadata) {
      if (request.method !== 'GET') return sendError(response, 405, 'Method not allowed');
      response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' });
      return void response.end(JSON.stringify(options.protectedResourceMetadata));
    }
    const ssePost = sse && (path === SSE_MESSAGE_PATH || path === '/messages');
    if (path !== endpointPath && !ssePost) return sendError(response, 404, `Not found: the MCP endpoint is ${endpointPath}`);
    if (sse) {
      const allowed = ssePost ? 'POST' : 'GET';
      if (request.method !== allowed) return sendError(response, 405, 'Method not allowed', { Allow: allowed });
    } else if (request.method !== 'POST' && request.method !== 'GET' && request.method !== 'DELETE')
      return sendError(response, 405, 'Method not allowed', { Allow: 'GET, POST, DELETE' });

    const authentication = await authenticator.authenticate(request);
    if (authentication.kind === 'rejected') return sendError(response, authentication.status, authentication.message, authentication.headers);
    const access: ToolAccess =
      authentication.kind === 'granted'
        ? { kind: 'granted', token: authentication.token, scopes: authentication.scopes, lensesUrl: authentication.lensesUrl }
        : authentication;
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

    if (sse) return ssePost ? handleSsePost(request, response, url, body, access, subject) : openSseStream(request, response, access, subject);
    if (options.stateless) return handleStateless(request, response, body);

    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session || (session.subject !== undefined && session.subject !== subject))
        return sendError(response, 404, 'Session not found: initialize a new one', {}, -32001);
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
      sessionIdGenerator: newSessionId,
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
      await server.connect(options.telemetry ? options.telemetry.traceTransport(transport) : transport);
      await transport.handleRequest(request, response, body);
    } finally {
      admission.release();
    }
  }

  /** GET /sse: a new session whose answers flow on this response. */
  async function openSseStream(request: IncomingMessage, response: ServerResponse, access: ToolAccess, subject: string | undefined): Promise<void> {
    const admission = sseSessions.admit(subject);
    if (typeof admission === 'string') return sendError(response, 503, admission, { 'Retry-After': String(EVICTABLE_IDLE_MS / 1000) });
    const server = newServer();
    const transport = new SseServerTransport(newSessionId(), response);
    const id = transport.sessionId;
    transport.onclose = () => {
      sseSessions.delete(id);
      void server.close().catch(() => {});
    };
    try {
      await server.connect(options.telemetry ? options.telemetry.traceTransport(transport) : transport);
      // The stream itself is the handshake's carrier: count the session as initialized once it is open.
      sseSessions.add(id, { transport, server, scopes: scopeKey(access.scopes), subject, lastSeen: now(), initialized: true });
    } finally {
      admission.release();
    }
  }

  /** POST /messages/?session_id=…: one message of an open SSE session; 202, the answer goes on the stream. */
  function handleSsePost(request: IncomingMessage, response: ServerResponse, url: URL, body: unknown, access: ToolAccess, subject: string | undefined): void {
    const id = postedSessionId(url);
    if (id === undefined) return sendText(response, 400, 'session_id is required');
    const session = sseSessions.get(id);
    if (!session || (session.subject !== undefined && session.subject !== subject)) return sendText(response, 404, 'Could not find session');
    session.lastSeen = now();
    const scopes = scopeKey(access.scopes);
    if (scopes !== session.scopes) {
      session.scopes = scopes;
      logger.info(`Session ${id.slice(0, 8)} now has scopes "${scopes}": tools changed`);
      void session.server.sendToolListChanged().catch(() => {});
    }
    const authInfo = (request as IncomingMessage & { auth?: AuthInfo }).auth;
    if (!session.transport.receive(body, { authInfo, requestInfo: { headers: request.headers } })) return sendText(response, 400, 'Could not parse message');
    sendText(response, 202, 'Accepted');
  }

  async function handleStateless(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
    if (request.method !== 'POST') return sendError(response, 405, 'Method not allowed: this server is stateless (POST only)', { Allow: 'POST' });
    const server = newServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(options.telemetry ? options.telemetry.traceTransport(transport) : transport);
    await transport.handleRequest(request, response, body);
  }

  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  // requestTimeout covers receiving the request (headers and body), not the response: SSE
  // streams stay open, while a body trickled in too slowly gets 408 (checked every interval).
  const httpServer = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(30_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, requestTimeoutMs / 4)),
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        if (error instanceof HttpError)
          return sendError(response, error.status, error.message, error.status === 413 ? { Connection: 'close' } : {}, error.jsonRpcCode);
        logger.error(`MCP HTTP request failed: ${error instanceof Error ? error.message : String(error)}`);
        sendError(response, 500, 'Internal server error');
      });
    },
  );
  const drain = new RequestDrain(httpServer);

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
  logger.info(
    `Lenses MCP server listening on http://${hostForUrl}:${port}${endpointPath}${sse ? ' (HTTP+SSE transport, messages at /messages/)' : options.stateless ? ' (stateless)' : ''}${options.replicaId ? `, replica ${options.replicaId}` : ''}`,
  );
  logger.info(`Answering Host and Origin: loopback names${hosts.extraNames.length > 0 ? `, ${hosts.extraNames.join(', ')}` : ''}`);

  return {
    url: `http://${hostForUrl}:${port}${endpointPath}`,
    port,
    notifyToolsChanged() {
      for (const session of [...sessions.values(), ...sseSessions.values()]) void session.server.sendToolListChanged().catch(() => {});
    },
    async close({ graceMs = 0 } = {}) {
      clearInterval(sweeper);
      if (graceMs > 0) logger.info(`Draining: no new connections, in-flight requests have ${Math.round(graceMs / 1000)} s`);
      const closing = drain.drain(httpServer, graceMs);
      // Sessions (and their GET streams) end once in-flight requests are answered.
      const { unfinished } = await closing.then(async (result) => {
        await Promise.all([sessions.closeAll(), sseSessions.closeAll()]);
        return result;
      });
      if (unfinished > 0) logger.warn(`Stopped with ${unfinished} request(s) still in flight after the grace period`);
      logger.info('Lenses MCP server stopped');
    },
  };
}

function scopeKey(scopes: ReadonlySet<Scope>): string {
  return [...scopes].sort().join(' ');
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, code = -32600): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
