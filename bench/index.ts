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
import { McpServer } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport as StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { z } from 'zod';
import { ApiKeyAuthenticator } from '../src/mcp/auth/apiKeyAuthenticator';
import type { RequestAuthenticator } from '../src/mcp/auth/authentication';
import { startMcpHttpServer } from '../src/mcp/http/httpServer';
import { TokenIntrospector } from '../src/mcp/auth/introspection';
import { OAuthResourceServerAuthenticator } from '../src/mcp/auth/oauthResourceServer';
import { ALL_SCOPES } from '../src/scopes';
import { obtainTokens, startHq, type RunningHq } from '../hq-emulator/testing';
import { CALLS, CONCURRENCY, measureAll, WARMUP, type Result, type Target } from './driveCalls';

const ADVERTISED = 'http://127.0.0.1';

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
      server.registerTool('list_topics', { inputSchema: z.object({ environment: z.string() }) }, async () => ({ content: [{ type: 'text', text: '[]' }] }));
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
    { label: '(e) API key, 2026-07-28', url: c.url, modern: true },
    { label: '(f) OAuth cache, 2026-07-28', url: a.url, token, modern: true },
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
  const [ra, rb, rc, re, rf, rd] = results;
  const ratio = (r: Result, to: Result) => (r.callsPerSecond / to.callsPerSecond).toFixed(2);
  console.log(
    `\nb/c = ${ratio(rb, rc)} (strict vs API key, target ≥ 0.85)   a/c = ${ratio(ra, rc)} (target ≥ 0.85)   a/d = ${ratio(ra, rd)}   b/d = ${ratio(rb, rd)}`,
  );
  console.log(`generations: e/c = ${ratio(re, rc)} (2026-07-28 vs 2025, API key, target ≥ 1.00)   f/a = ${ratio(rf, ra)} (OAuth, target ≥ 1.00)`);
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
