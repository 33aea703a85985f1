import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { approvalRoutes } from './approvals';
import { connectorRoutes } from './connectors';
import { consumerRoutes } from './consumers';
import { datasetRoutes } from './datasets';
import { environmentRoutes } from './environments';
import { ApiProblem, readJsonBody, sendProblem, sendReply, type Reply } from './http';
import { processorRoutes } from './processors';
import { agentNotConnected, environmentNotFound, forbidden, unauthorized } from './problems';
import { methodNotAllowed, Router, splitUrl } from './router';
import type { AgentRoute, HqRoute, Principal, RequestContext } from './routes';
import { scaledState } from './scale';
import { seedState } from './seed';
import { SqlSocketEndpoint } from './sqlSocket';
import { isEmulatorState, type EmulatorState } from './state';
import { topicRoutes } from './topics';

export type { Principal } from './routes';

/**
 * The Lenses HQ emulator's Lenses API: HQ's environment routes and, through
 * `/api/v1/environments/{env}/proxy/<agent path>`, each environment's agent API — every
 * route a tool of DESIGN.md's table calls. The route list and response shapes are at the
 * top of each area file (environments.ts, topics.ts, datasets.ts, connectors.ts,
 * consumers.ts, processors.ts, approvals.ts, sqlSocket.ts); seed data in seed.ts.
 *
 * Ownership: every path under `/api/` is ours except `/api/v0/users/me/oauth2/**`
 * (connected applications), for which `handle` returns false, as for anything else.
 *
 * Order of checks on every request: 401 (no/invalid bearer, with `WWW-Authenticate`) →
 * 404/405 (no such route) → 400 (a path parameter that is `.` or `..`, or holds `/`, `\`,
 * control characters, or bad percent-encoding) → 403 (the principal lacks the scope of the tool
 * that calls the route) → for agent routes 404 (unknown environment) / 503 "Agent not
 * connected" → the handler (400 with `invalid_fields`, 404, 409). Errors are RFC 7807
 * `application/problem+json`: {type, title, status, detail?, invalid_fields?: [{field, message}], request_id}.
 *
 * SQL WebSocket (`handleUpgrade`): `/api/v1/environments/{env}/proxy/api/ws/v2/sql/execute`
 * (HQ's path, used by src/lenses/sql.ts) or `/api/ws/v2/sql/execute?environment={env}`;
 * bearer in the handshake's Authorization header. See sqlSocket.ts.
 */

export interface LensesApiOptions {
  authenticate(request: IncomingMessage): Promise<Principal | undefined>;
  /** From an earlier `snapshot()`; absent = seed data. */
  initialState?: unknown;
  /** Without `initialState`: the seed data plus a `prod` environment of this many topics (scale.ts). */
  scale?: number;
  /** Called after every state change. */
  onChange?(): void;
}

export interface LensesApi {
  /** true = handled (a Lenses API route), false = not ours. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** The SQL WebSocket; false when the upgrade is for another path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** A deep, JSON-serialisable copy of the state. */
  snapshot(): unknown;
}

interface CompiledRoute {
  scope: HqRoute['scope'];
  changesState: boolean;
  run(context: RequestContext): Reply | Promise<Reply>;
}

const PROXY_PREFIX = '/api/v1/environments/:environment/proxy';
const CONNECTED_APPS_PREFIX = '/api/v0/users/me/oauth2';

export function createLensesApi(options: LensesApiOptions): LensesApi {
  const state = options.initialState === undefined && options.scale !== undefined ? scaledState(options.scale) : initialStateOf(options.initialState);
  const router = buildRouter(state);
  const sqlSocket = new SqlSocketEndpoint({
    authenticate: (request) => options.authenticate(request),
    findEnvironment: (name) => state.environments.find((environment) => environment.name === name),
  });

  return {
    async handle(request, response) {
      const [rawPath, rawQuery] = splitUrl(request.url ?? '/');
      if (!isOurs(rawPath)) return false;
      const requestId = randomUUID();
      try {
        const principal = await authenticate(options, request);
        const match = router.match(request.method ?? 'GET', rawPath);
        if (match.kind === 'not-found')
          throw new ApiProblem(404, 'not-found', 'Not Found', `No Lenses API route for ${request.method} ${rawPath.slice(0, 200)}`);
        if (match.kind === 'method-not-allowed') throw methodNotAllowed(match.allowed);
        const route = match.value;
        if (!principal.scopes.has(route.scope)) throw forbidden(route.scope, principal);
        let bodyRead: Promise<unknown> | undefined;
        const reply = await route.run({
          params: match.params,
          query: new URLSearchParams(rawQuery),
          principal,
          state,
          body: () => (bodyRead ??= readJsonBody(request)),
          now: () => new Date(),
        });
        sendReply(response, reply, requestId);
        if (route.changesState && reply.status < 400) options.onChange?.();
      } catch (error) {
        // Handler failures carry only emulator messages (no tokens), so show them: it helps whoever debugs a test.
        const problem =
          error instanceof ApiProblem
            ? error
            : new ApiProblem(500, 'internal', 'Internal Server Error', `The emulator failed: ${error instanceof Error ? error.message : String(error)}`);
        sendProblem(response, problem, requestId);
      }
      return true;
    },
    handleUpgrade: (request, socket, head) => sqlSocket.handleUpgrade(request, socket, head),
    snapshot: () => structuredClone(state),
  };
}

/** An agent route's own refusals come back through HQ's proxy in the agent's error shape. */
async function runOnAgent(handle: () => Reply | Promise<Reply>): Promise<Reply> {
  try {
    return await handle();
  } catch (error) {
    throw error instanceof ApiProblem ? error.asAgent() : error;
  }
}

function isOurs(rawPath: string): boolean {
  if (!rawPath.startsWith('/api/')) return false;
  return !(rawPath === CONNECTED_APPS_PREFIX || rawPath.startsWith(`${CONNECTED_APPS_PREFIX}/`));
}

async function authenticate(options: LensesApiOptions, request: IncomingMessage): Promise<Principal> {
  let principal: Principal | undefined;
  try {
    principal = await options.authenticate(request);
  } catch {
    throw new ApiProblem(503, 'authentication-unavailable', 'Service Unavailable', 'The token could not be validated; try again');
  }
  if (!principal) throw unauthorized(request.headers.authorization !== undefined);
  return principal;
}

function initialStateOf(initial: unknown): EmulatorState {
  if (initial === undefined) return seedState();
  if (!isEmulatorState(initial)) throw new TypeError('initialState is not a snapshot of the Lenses API emulator (expected {version: 1, environments: [...]})');
  return structuredClone(initial);
}

function buildRouter(state: EmulatorState): Router<CompiledRoute> {
  const router = new Router<CompiledRoute>();
  const compile = (route: HqRoute | AgentRoute, run: CompiledRoute['run']): CompiledRoute => ({
    scope: route.scope,
    changesState: route.changesState ?? route.method !== 'GET',
    run,
  });
  for (const route of environmentRoutes)
    router.add(
      route.method,
      route.path,
      compile(route, (context) => route.handle(context)),
    );
  const agentRoutes: AgentRoute[] = [...topicRoutes, ...datasetRoutes, ...connectorRoutes, ...consumerRoutes, ...processorRoutes, ...approvalRoutes];
  for (const route of agentRoutes) {
    router.add(
      route.method,
      PROXY_PREFIX + route.path,
      compile(route, (context) => {
        const name = context.params.environment;
        const environment = state.environments.find((candidate) => candidate.name === name);
        if (!environment) throw environmentNotFound(name);
        if (!environment.agent.connected) throw agentNotConnected(name);
        return runOnAgent(() => route.handle({ ...context, environment, agent: environment.data }));
      }),
    );
  }
  return router;
}
