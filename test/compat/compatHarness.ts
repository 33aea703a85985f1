import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import type { Scope } from '../../src/scopes';
import { obtainTokens, type RunningHq } from '../../hq-emulator/testing';
import { connectClient } from '../integration/mcp/harness';
import { startBin, type RunningBin } from '../integration/mcp/standaloneProcess';

/**
 * Helpers of the compatibility suite: each test there mirrors one test of the official Lenses
 * MCP server (lensesio/lenses-mcp, tests/*.py) by what a client or operator can observe, run
 * against the bundled bin and the HQ emulator.
 */

/** The public URL the bin advertises in these tests (its resource is this + /mcp). */
export const ADVERTISED = 'https://mcp.example.test';
export const RESOURCE = `${ADVERTISED}/mcp`;

/** One request as it passed the proxy on its way to HQ. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the proxy sends back instead of HQ's answer (or after changing it). */
export interface ProxyAnswer {
  status: number;
  body: string;
  contentType?: string;
}

export interface HqProxyOptions {
  /** Answers a request without asking HQ (a failing HQ, say); undefined = forward it. */
  intercept?: (request: ProxiedRequest) => ProxyAnswer | undefined;
  /** Changes HQ's answer before the bin sees it (an introspection answer of another shape, say). */
  rewrite?: (request: ProxiedRequest, answer: ProxyAnswer) => ProxyAnswer;
}

export interface HqProxy {
  /** http://127.0.0.1:PORT: give it to the bin as LENSES_URL or INTROSPECTION_URL. */
  url: string;
  /** Every request so far, oldest first. */
  requests: ProxiedRequest[];
  /** The requests to paths starting with `prefix`. */
  to(prefix: string): ProxiedRequest[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * A loopback HTTP proxy in front of the emulator that records what the bin sends to "HQ", so a
 * test can see where introspection and API calls go, with which headers and bodies. HTTP only
 * (the SQL WebSocket is not proxied).
 */
export async function startHqProxy(target: string, options: HqProxyOptions = {}): Promise<HqProxy> {
  const requests: ProxiedRequest[] = [];
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: ProxiedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      forward(request).then(
        (answer) => {
          const changed = options.rewrite ? options.rewrite(request, answer) : answer;
          response.writeHead(changed.status, changed.contentType ? { 'Content-Type': changed.contentType } : {}).end(changed.body);
        },
        () => response.writeHead(502).end(),
      );
    });
  });

  async function forward(request: ProxiedRequest): Promise<ProxyAnswer> {
    const intercepted = options.intercept?.(request);
    if (intercepted) return intercepted;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(`${target}${request.path}`, {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
      redirect: 'manual',
    });
    return { status: answer.status, body: await answer.text(), contentType: answer.headers.get('content-type') ?? undefined };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (prefix) => requests.filter((request) => request.path.startsWith(prefix)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A JSON answer for `intercept` / `rewrite`. */
export function json(status: number, value: unknown): ProxyAnswer {
  return { status, body: JSON.stringify(value), contentType: 'application/json' };
}

/** The bundled bin in OAuth mode on a loopback port, advertising {@link ADVERTISED}; `env` on top. */
export function startOAuthBin(env: Record<string, string>): Promise<RunningBin> {
  return startBin({ OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: ADVERTISED, HOST: '127.0.0.1', PORT: '0', ...env });
}

/** A token for the bin's resource, from the emulator's real authorization flow. */
export async function tokenFor(hq: RunningHq, scopes: Scope[]): Promise<string> {
  return (await obtainTokens(hq, { scopes, resource: RESOURCE })).accessToken;
}

/** Connects, runs `use`, and closes the client whatever happens. */
export async function withClient<T>(url: string, token: string | undefined, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(url, token);
  try {
    return await use(client);
  } finally {
    await client.close().catch(() => {});
  }
}

/** The 8-hex fingerprint an operator can compute for a token: the start of its SHA-256. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A JSON-RPC tools/list request body. */
export const TOOLS_LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
