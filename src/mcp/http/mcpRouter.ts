import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestAuthenticator } from '../auth/authentication';
import { HEALTH_PATH, type HqReadiness, READY_PATH, sendHealth, sendReadiness } from './health';
import type { HostOriginGate } from './hostOriginGate';
import { readJsonBody } from './httpGuards';
import { sendError } from './httpResponses';
import { isListenRequest, listenCredential, noLongerValid, type ListenStreams } from './listenStreams';
import type { ModernMcpRequests } from './modernHttp';
import { attachAccess, SERVER_VERSION, type ToolAccess } from '../server';
import type { RequestDrain } from './shutdown';
import type { SseSessions } from './sseSessions';
import { SSE_MESSAGE_PATH } from './sseTransport';
import type { StreamableHttpSessions } from './streamableHttpSessions';
import type { ToolScopeGate } from './toolScopeGate';

export const PRM_PATH = '/.well-known/oauth-protected-resource';

/** Where an authenticated, admitted MCP request goes. */
export type McpSessionHandling =
  | { kind: 'sse'; sessions: SseSessions }
  | { kind: 'stateless'; handle: (request: IncomingMessage, response: ServerResponse, body: unknown) => Promise<void> }
  | { kind: 'sessionful'; sessions: StreamableHttpSessions };

export interface McpRouterDependencies {
  /** /mcp, or /sse for the HTTP+SSE transport. */
  endpointPath: string;
  drain: RequestDrain;
  readiness: HqReadiness;
  hostOriginGate: HostOriginGate;
  /** OAuth mode only: served at /.well-known/oauth-protected-resource[/endpoint]. */
  protectedResourceMetadata?: object;
  authenticator: RequestAuthenticator;
  toolScopeGate: ToolScopeGate;
  sessionHandling: McpSessionHandling;
  /** /mcp only: 2026-07-28 requests, served next to the 2025 handling. */
  modern?: ModernMcpRequests;
  /** The caps of 2026-07-28 `subscriptions/listen` streams. */
  listenStreams: ListenStreams;
}

/**
 * One request, in order: unauthenticated /health and /ready, Host/Origin and CORS, PRM
 * metadata, the endpoint's paths and methods, authentication, the body (RS-13 limits) and its
 * scope challenge, then a 2026-07-28 request's per-request server or the session handling.
 */
export class McpRouter {
  private readonly prmPaths: ReadonlySet<string>;

  constructor(private readonly dependencies: McpRouterDependencies) {
    this.prmPaths = new Set([PRM_PATH, `${PRM_PATH}${dependencies.endpointPath}`]);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { dependencies } = this;
    const { endpointPath, sessionHandling } = dependencies;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    dependencies.drain.track(response, request.method === 'GET' && path === endpointPath);
    // Probes come from kubelets and balancers that address the pod by IP: no Host rule, and
    // nothing internal in the answer (status and version only).
    if (request.method === 'GET' && path === HEALTH_PATH) return sendHealth(response, SERVER_VERSION);
    if (request.method === 'GET' && path === READY_PATH) return sendReadiness(response, dependencies.readiness, dependencies.drain.isDraining, SERVER_VERSION);
    if (!dependencies.hostOriginGate.admits(request, response)) return;
    if (this.prmPaths.has(path) && dependencies.protectedResourceMetadata) {
      if (request.method !== 'GET') return sendError(response, 405, 'Method not allowed');
      response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' });
      return void response.end(JSON.stringify(dependencies.protectedResourceMetadata));
    }
    const sse = sessionHandling.kind === 'sse';
    const ssePost = sse && (path === SSE_MESSAGE_PATH || path === '/messages');
    if (path !== endpointPath && !ssePost) return sendError(response, 404, `Not found: the MCP endpoint is ${endpointPath}`);
    if (sse) {
      const allowed = ssePost ? 'POST' : 'GET';
      if (request.method !== allowed) return sendError(response, 405, 'Method not allowed', { Allow: allowed });
    } else if (request.method !== 'POST' && request.method !== 'GET' && request.method !== 'DELETE')
      return sendError(response, 405, 'Method not allowed', { Allow: 'GET, POST, DELETE' });

    const authentication = await dependencies.authenticator.authenticate(request);
    if (authentication.kind === 'rejected') return sendError(response, authentication.status, authentication.message, authentication.headers);
    const access: ToolAccess = authentication;
    const subject = authentication.kind === 'granted' ? authentication.subject : undefined;
    attachAccess(request, access);

    let body: unknown;
    if (request.method === 'POST') {
      body = await readJsonBody(request);
      if (!dependencies.toolScopeGate.admits(body, access, response)) return;
    }

    // Every gate above (Host/Origin, authentication, body limits, scope challenge) applies to both generations alike.
    if (dependencies.modern && (await dependencies.modern.claims(request, body))) {
      if (!isListenRequest(body)) return dependencies.modern.handle(request, response, body);
      // The stream lasts while its credential does: the same request is authenticated again now and then.
      const stillValid = async () => authentication.kind !== 'granted' || !noLongerValid(await dependencies.authenticator.authenticate(request));
      const lease = dependencies.listenStreams.admit(listenCredential(authentication), body.id, stillValid);
      if (!('watch' in lease)) {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        return void response.end(JSON.stringify(lease));
      }
      return dependencies.modern.handle(request, response, body, lease);
    }

    switch (sessionHandling.kind) {
      case 'sse':
        return ssePost
          ? sessionHandling.sessions.post(request, response, url, body, access, subject)
          : sessionHandling.sessions.open(response, access, subject);
      case 'stateless':
        return sessionHandling.handle(request, response, body);
      case 'sessionful':
        return sessionHandling.sessions.handle(request, response, body, access, subject);
    }
  }
}
