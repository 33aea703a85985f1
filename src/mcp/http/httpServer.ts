import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { AuthInfo, Server, Transport } from '@modelcontextprotocol/server';
import { silentLogger, type Logger } from '../../log';
import type { McpTelemetry } from '../../telemetry/telemetry';
import type { RequestAuthenticator } from '../auth/authentication';
import { HqReadiness } from './health';
import { HostOriginGate } from './hostOriginGate';
import { createMcpListener, listen } from './httpListener';
import { HostAllowList } from './httpGuards';
import { DEFAULT_LISTEN_LIMITS, ListenStreams, type ListenLimits } from './listenStreams';
import type { McpSessionContext } from './mcpSessionContext';
import { McpRouter, type McpSessionHandling } from './mcpRouter';
import { ModernMcpRequests } from './modernHttp';
import { HqListCache } from '../hqListCache';
import { createLensesMcpServer, type ToolServerSettings } from '../server';
import { DEFAULT_SESSION_LIMITS, SessionRegistry, type SessionLimits } from './sessionRegistry';
import { RequestDrain } from './shutdown';
import { SseSessions } from './sseSessions';
import { SSE_STREAM_PATH, type SseServerTransport } from './sseTransport';
import { handleStatelessRequest } from './statelessHttp';
import { StreamableHttpSessions } from './streamableHttpSessions';
import { ToolScopeGate } from './toolScopeGate';
import { fixedGovernance, type Governance } from '../governance';

/** The HTTP server: where it listens and how it authenticates, plus what its tool servers share (`ToolServerSettings`). */
export interface McpHttpServerOptions extends ToolServerSettings {
  host: string;
  /** 0 = ephemeral. */
  port: number;
  authenticator: RequestAuthenticator;
  /** MCP_STATELESS_HTTP: no sessions, one server per request (replicas behind a load balancer). */
  stateless?: boolean;
  /** `http` (default): streamable HTTP at /mcp; `sse`: the older HTTP+SSE transport at /sse and /messages/. */
  transport?: 'http' | 'sse';
  /** MCP_REPLICA_ID: session IDs are `<replicaId>.<uuid>`, so a load balancer can route them. */
  replicaId?: string;
  /** OTEL_ENABLED: a span per MCP request of either generation (HQ-call spans come from the fetch it is given). */
  telemetry?: McpTelemetry;
  /** MCP_ADVERTISED_URL (PRM `resource` = this + /mcp); its host is accepted in Host and Origin. */
  advertisedUrl?: string;
  /** MCP_ALLOWED_HOSTS: more host names accepted in Host and Origin (besides loopback names). */
  allowedHosts?: readonly string[];
  /** OAuth mode only: served at /.well-known/oauth-protected-resource[/mcp]. */
  protectedResourceMetadata?: object;
  /** The fetch of /ready's HQ check (default `fetch`): untraced, so probes make no spans. */
  probeFetch?: typeof fetch;
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
  /** Open 2026-07-28 `subscriptions/listen` streams at most (MCP_MAX_LISTEN_STREAMS, default 1000). */
  maxListenStreams?: number;
  /** Open `subscriptions/listen` streams per credential (MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL, default 4). */
  maxListenStreamsPerCredential?: number;
  /** How often an open listen stream's credential is checked again (default 60 s); one no longer valid ends the stream. */
  listenRecheckMs?: number;
  /** Sessions that never sent notifications/initialized are closed after this long (default 30 s). */
  uninitializedSessionIdleMs?: number;
  /** The clock session idleness is measured with. */
  now?: () => number;
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

/**
 * The Lenses MCP server over streamable HTTP at /mcp (or the older HTTP+SSE transport):
 * Host/Origin checks on every bind address (RS-12, RS-17), CORS, unauthenticated /health and
 * /ready, authentication by the given authenticator, RS-13 body limits, the
 * insufficient_scope challenge for tools/call, capped sessions, then the transport.
 * The pieces live beside it (`McpRouter`, the gates, the session handlings); this composes them.
 */
export async function startMcpHttpServer(options: McpHttpServerOptions): Promise<RunningMcpHttpServer> {
  const logger = options.logger ?? silentLogger;
  const authenticator = options.authenticator;
  const now = options.now ?? Date.now;
  const limits = sessionLimits(options);
  const sessions = new SessionRegistry(limits, logger, now);
  const sseSessions = new SessionRegistry<SseServerTransport>(limits, logger, now);
  const sse = options.transport === 'sse';
  const endpointPath = sse ? SSE_STREAM_PATH : MCP_PATH;
  const hosts = new HostAllowList({ advertisedUrl: options.advertisedUrl, allowedHosts: options.allowedHosts });
  const governance = options.governance ?? fixedGovernance(undefined, { logger });
  const context = sessionContext(options, logger, governance, now);
  const sessionHandling: McpSessionHandling = sse
    ? { kind: 'sse', sessions: new SseSessions(context, sseSessions) }
    : options.stateless
      ? { kind: 'stateless', handle: (request, response, body) => handleStatelessRequest(context, request, response, body) }
      : { kind: 'sessionful', sessions: new StreamableHttpSessions(context, sessions, options.resumableStreams !== false) };
  const listenStreams = new ListenStreams(listenLimits(options), logger);
  const modern = sse ? undefined : new ModernMcpRequests(context, options.telemetry, options.maxListenStreams ?? DEFAULT_LISTEN_LIMITS.maxStreams);

  const httpServer = createMcpListener(options.requestTimeoutMs ?? 60_000, logger, (request, response) => router.handle(request, response));
  const drain = new RequestDrain(httpServer);
  const router = new McpRouter({
    endpointPath,
    drain,
    readiness: new HqReadiness({
      lensesUrl: options.lensesUrl,
      timeoutMs: Math.min(options.hqTimeoutMs ?? 30_000, READY_TIMEOUT_MS),
      fetch: options.probeFetch ?? options.fetch,
      now,
    }),
    hostOriginGate: new HostOriginGate(hosts, logger),
    protectedResourceMetadata: options.protectedResourceMetadata,
    authenticator,
    toolScopeGate: new ToolScopeGate(authenticator, governance, logger, now),
    sessionHandling,
    modern,
    listenStreams,
  });

  await listen(httpServer, options.port, options.host);
  const port = (httpServer.address() as AddressInfo).port;
  // Both kinds of session are swept alike: an idle HTTP+SSE stream holds a session as long as a streamable one.
  const sweeper = setInterval(() => {
    sessions.sweep();
    sseSessions.sweep();
  }, sessions.sweepIntervalMs);
  sweeper.unref();
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  logger.info(`Lenses MCP server listening on http://${hostForUrl}:${port}${endpointPath}${listeningNote(options)}`);
  logger.info(`Answering Host and Origin: loopback names${hosts.extraNames.length > 0 ? `, ${hosts.extraNames.join(', ')}` : ''}`);

  return {
    url: `http://${hostForUrl}:${port}${endpointPath}`,
    port,
    notifyToolsChanged() {
      for (const session of [...sessions.values(), ...sseSessions.values()]) void session.server.sendToolListChanged().catch(() => {});
      modern?.notifyToolsChanged();
    },
    async close({ graceMs = 0 } = {}) {
      clearInterval(sweeper);
      if (graceMs > 0) logger.info(`Draining: no new connections, in-flight requests have ${Math.round(graceMs / 1000)} s`);
      const closing = drain.drain(httpServer, graceMs);
      // Sessions (and their GET streams) end once in-flight requests are answered.
      const { unfinished } = await closing.then(async (result) => {
        await Promise.all([sessions.closeAll(), sseSessions.closeAll(), modern?.close()]);
        return result;
      });
      if (unfinished > 0) logger.warn(`Stopped with ${unfinished} request(s) still in flight after the grace period`);
      logger.info('Lenses MCP server stopped');
    },
  };
}

/** The session limits of the options, each defaulted on its own. */
function sessionLimits(options: McpHttpServerOptions): SessionLimits {
  return {
    maxSessions: options.maxSessions ?? DEFAULT_SESSION_LIMITS.maxSessions,
    maxSessionsPerSubject: options.maxSessionsPerSubject ?? DEFAULT_SESSION_LIMITS.maxSessionsPerSubject,
    idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_LIMITS.idleMs,
    uninitializedIdleMs: options.uninitializedSessionIdleMs ?? DEFAULT_SESSION_LIMITS.uninitializedIdleMs,
  };
}

/** The caps on 2026-07-28 `subscriptions/listen` streams, each defaulted on its own. */
function listenLimits(options: McpHttpServerOptions): ListenLimits {
  return {
    maxStreams: options.maxListenStreams ?? DEFAULT_LISTEN_LIMITS.maxStreams,
    maxStreamsPerCredential: options.maxListenStreamsPerCredential ?? DEFAULT_LISTEN_LIMITS.maxStreamsPerCredential,
    recheckMs: options.listenRecheckMs ?? DEFAULT_LISTEN_LIMITS.recheckMs,
  };
}

/** What the start-up line adds after the URL: the transport when not the default one, the replica. */
function listeningNote(options: McpHttpServerOptions): string {
  const transport = options.transport === 'sse' ? ' (HTTP+SSE transport, messages at /messages/)' : options.stateless ? ' (stateless)' : '';
  return `${transport}${options.replicaId ? `, replica ${options.replicaId}` : ''}`;
}

/** New servers share the options' HQ, authenticator and governance; session ids carry the replica id. */
function sessionContext(options: McpHttpServerOptions, logger: Logger, governance: Governance, now: () => number): McpSessionContext {
  const authenticator = options.authenticator;
  const hqListCache = new HqListCache();
  return {
    newServer: (requestAuth?: AuthInfo): Server =>
      createLensesMcpServer({
        lensesUrl: options.lensesUrl,
        fetch: options.fetch,
        hqListCache,
        logger,
        hqTimeoutMs: options.hqTimeoutMs,
        maxToolOutputChars: options.maxToolOutputChars,
        tokenRejected: (token) => authenticator.tokenRejected?.(token),
        sessionLost: (reason) => authenticator.sessionLost?.(reason),
        credential: authenticator.credential,
        governance,
        toolSetChanges: options.toolSetChanges,
        requestAuth,
      }),
    newSessionId: () => (options.replicaId ? `${options.replicaId}.${randomUUID()}` : randomUUID()),
    connect: (server: Server, transport: Transport) => server.connect(options.telemetry ? options.telemetry.traceTransport(transport) : transport),
    logger,
    now,
  };
}
