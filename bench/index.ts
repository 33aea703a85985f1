/**
 * `npm run bench`: 2,000 tools/call of list_topics at concurrency 16 over streamable HTTP,
 * against the HQ emulator on loopback, for (a) OAuth mode with the opt-in introspection cache
 * (INTROSPECTION_CACHE_TTL=60), (b) OAuth mode as shipped: every request validated with HQ,
 * requests with one token sharing an introspection that started after they arrived,
 * (c) API-key mode, (d) a bare SDK server with one trivial tool and no HQ call (the floor).
 * The modes take turns in rounds so machine noise falls on all alike.
 * Prints calls/s, p50, p99, the ratios to API-key mode and introspections per call.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { ApiKeyAuthenticator } from '../src/mcp/apiKeyAuthenticator';
import type { RequestAuthenticator } from '../src/mcp/authentication';
import { startMcpHttpServer } from '../src/mcp/httpServer';
import { TokenIntrospector } from '../src/mcp/introspection';
import { OAuthResourceServerAuthenticator } from '../src/mcp/oauthResourceServer';
import { ALL_SCOPES } from '../src/scopes';
import { obtainTokens, startHq, type RunningHq } from '../test/hq/testing';

const CALLS = 2000;
const CONCURRENCY = 16;
const WARMUP = 300;
const ADVERTISED = 'http://127.0.0.1';

interface Result {
  label: string;
  callsPerSecond: number;
  p50: number;
  p99: number;
  introspectionsPerCall?: number;
}

/** CONCURRENCY clients (one MCP session each) connected to one server. */
async function connectClients(url: string, token: string | undefined): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = new Client({ name: 'bench', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} } }));
      return client;
    }),
  );
}

/** Runs `calls` tools/call of list_topics spread over the clients, CONCURRENCY in flight. */
async function drive(clients: Client[], calls: number): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < calls) {
        next += 1;
        const t0 = performance.now();
        const result = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
        latencies.push(performance.now() - t0);
        if (result.isError) throw new Error(`list_topics failed: ${JSON.stringify(result.content)}`);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Target {
  label: string;
  url: string;
  token?: string;
  introspections?: () => number;
}

/** Modes take turns in rounds of CALLS / ROUNDS so machine noise and GC fall on all of them alike. */
const ROUNDS = 4;

async function measureAll(targets: Target[]): Promise<Result[]> {
  const clients = await Promise.all(targets.map((target) => connectClients(target.url, target.token)));
  try {
    for (const group of clients) await drive(group, WARMUP);
    const totals = targets.map(() => ({ seconds: 0, latencies: [] as number[] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, group] of clients.entries()) {
        const { seconds, latencies } = await drive(group, CALLS / ROUNDS);
        totals[index].seconds += seconds;
        totals[index].latencies.push(...latencies);
      }
    }
    return targets.map((target, index) => {
      const sorted = totals[index].latencies.sort((a, b) => a - b);
      return {
        label: target.label,
        callsPerSecond: CALLS / totals[index].seconds,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        // Counted from each server's first request (session set-up and warm-up included).
        introspectionsPerCall: target.introspections ? target.introspections() / (WARMUP + CALLS) : undefined,
      };
    });
  } finally {
    await Promise.all(clients.flat().map((client) => client.close()));
  }
}

async function lensesServer(hq: RunningHq, authenticator: RequestAuthenticator) {
  return startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl: hq.url, authenticator });
}

function oauthAuthenticator(hq: RunningHq, cacheTtlSeconds: number, counter: { count: number }): RequestAuthenticator {
  const countingFetch: typeof fetch = (input, init) => {
    counter.count += 1;
    return fetch(input, init);
  };
  return new OAuthResourceServerAuthenticator({
    resource: `${ADVERTISED}/mcp`,
    resourceMetadataUrl: `${ADVERTISED}/.well-known/oauth-protected-resource/mcp`,
    scopes: ALL_SCOPES,
    introspector: new TokenIntrospector({ url: `${hq.url}/oauth2/introspect`, cacheTtlSeconds, fetch: countingFetch }),
  });
}

/** The floor: the SDK's own McpServer with one tool that answers without calling HQ. */
async function bareSdkServer(): Promise<{ url: string; close(): Promise<void> }> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const sessionId = request.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      const server = new McpServer({ name: 'floor', version: '1' });
      server.registerTool('list_topics', { inputSchema: { environment: z.string() } }, async () => ({ content: [{ type: 'text', text: '[]' }] }));
      const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, created);
        },
      });
      transport = created;
      await server.connect(transport);
    }
    await transport.handleRequest(request, response);
  };
  // A request the floor cannot serve rejects unhandled and ends the run, as it did inline.
  const http: HttpServer = createServer((request, response) => void serve(request, response));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: async () => {
      await Promise.all([...transports.values()].map((t) => t.close()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

async function main(): Promise<void> {
  const hq = await startHq({ port: 0 });
  const token = (await obtainTokens(hq, { scopes: ['read'], resource: `${ADVERTISED}/mcp` })).accessToken;
  const cached = { count: 0 };
  const strict = { count: 0 };
  const a = await lensesServer(hq, oauthAuthenticator(hq, 60, cached));
  const b = await lensesServer(hq, oauthAuthenticator(hq, 0, strict));
  const c = await lensesServer(hq, new ApiKeyAuthenticator(hq.apiKey));
  const d = await bareSdkServer();
  const targets: Target[] = [
    { label: '(a) OAuth, introspection cache', url: a.url, token, introspections: () => cached.count },
    { label: '(b) OAuth, strict (coalesced)', url: b.url, token, introspections: () => strict.count },
    { label: '(c) API key', url: c.url },
    { label: '(d) bare SDK server, no HQ call', url: d.url },
  ];
  let results: Result[];
  try {
    results = await measureAll(targets);
  } finally {
    await Promise.all([a.close(), b.close(), c.close(), d.close()]);
    await hq.close();
  }

  console.log(`${CALLS} tools/call of list_topics, concurrency ${CONCURRENCY}, streamable HTTP on loopback (Node ${process.version})\n`);
  console.log(`${'mode'.padEnd(34)} ${'calls/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  introspections/call`);
  for (const r of results) {
    const perCall = r.introspectionsPerCall === undefined ? '' : r.introspectionsPerCall.toFixed(4);
    console.log(`${r.label.padEnd(34)} ${r.callsPerSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)}  ${perCall}`);
  }
  const [ra, rb, rc, rd] = results;
  const ratio = (r: Result, to: Result) => (r.callsPerSecond / to.callsPerSecond).toFixed(2);
  console.log(
    `\nb/c = ${ratio(rb, rc)} (strict vs API key, target ≥ 0.85)   a/c = ${ratio(ra, rc)} (target ≥ 0.85)   a/d = ${ratio(ra, rd)}   b/d = ${ratio(rb, rd)}`,
  );
  console.log(
    `(a) introspections: ${Math.round((ra.introspectionsPerCall ?? 0) * (WARMUP + CALLS))} for one token over ${WARMUP + CALLS} calls, warm-up included (target: at most one per cache period)`,
  );
  console.log(
    `(b) introspections: ${Math.round((rb.introspectionsPerCall ?? 0) * (WARMUP + CALLS))} over ${WARMUP + CALLS} calls: each call validated by one that started after it arrived, shared by the calls waiting with it`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
