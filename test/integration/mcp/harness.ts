import assert from 'node:assert/strict';
import { type CallToolResult, Client, StreamableHTTPClientTransport, type Tool } from '@modelcontextprotocol/client';
import { ApiKeyAuthenticator } from '../../../src/mcp/auth/apiKeyAuthenticator';
import { TokenIntrospector } from '../../../src/mcp/auth/introspection';
import { OAuthResourceServerAuthenticator } from '../../../src/mcp/auth/oauthResourceServer';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { MODERN_PROTOCOL_VERSION } from '../../../src/mcp/server';
import { protectedResourceMetadata } from '../../../src/mcp/standalone/standalone';
import { ALL_SCOPES, type Scope } from '../../../src/scopes';
import { obtainTokens, startHq, type HqOptions, type ObtainedTokens, type RunningHq } from '../../../hq-emulator/testing';
import { urlOf } from '../../support/requestUrl';

export interface OAuthMcp {
  hq: RunningHq;
  mcp: RunningMcpHttpServer;
  /** Introspection requests HQ received from the MCP server. */
  introspections(): number;
  token(scopes: Scope[], username?: string): Promise<string>;
  /** The whole token answer (refresh token, client id), optionally for another resource. */
  tokens(scopes: Scope[], resource?: string): Promise<ObtainedTokens>;
  advertisedUrl: string;
  close(): Promise<void>;
}

/**
 * The OAuth resource-server authenticator of an MCP server advertised at `advertisedUrl` (its
 * resource `<advertisedUrl>/mcp`, all three scopes), introspecting at the emulator: every
 * request unless `cacheTtlSeconds`.
 */
export function emulatorAuthenticator(
  hq: RunningHq,
  advertisedUrl: string,
  options: { cacheTtlSeconds?: number; fetch?: typeof fetch } = {},
): OAuthResourceServerAuthenticator {
  return new OAuthResourceServerAuthenticator({
    resource: `${advertisedUrl}/mcp`,
    resourceMetadataUrl: `${advertisedUrl}/.well-known/oauth-protected-resource/mcp`,
    scopes: ALL_SCOPES,
    introspector: new TokenIntrospector({ url: `${hq.url}/oauth2/introspect`, cacheTtlSeconds: options.cacheTtlSeconds ?? 0, fetch: options.fetch }),
  });
}

/** The emulator plus our server in OAuth resource-server mode on loopback, both on port 0. */
export async function startOAuthMcp(
  options: { cacheTtlSeconds?: number; advertisedUrl?: string; lensesVersion?: HqOptions['lensesVersion']; lensesUrl?: string } = {},
): Promise<OAuthMcp> {
  const hq = await startHq({ port: 0, lensesVersion: options.lensesVersion });
  let count = 0;
  const countingFetch: typeof fetch = (input, init) => {
    if (urlOf(input).endsWith('/oauth2/introspect')) count += 1;
    return fetch(input, init);
  };
  // The advertised URL is fixed before the port is known: use a stable public-looking one.
  const advertisedUrl = options.advertisedUrl ?? 'https://mcp.example.test';
  const authenticator = emulatorAuthenticator(hq, advertisedUrl, { cacheTtlSeconds: options.cacheTtlSeconds ?? 60, fetch: countingFetch });
  const mcp = await startMcpHttpServer({
    host: '127.0.0.1',
    port: 0,
    lensesUrl: options.lensesUrl ?? hq.url,
    authenticator,
    advertisedUrl,
    protectedResourceMetadata: protectedResourceMetadata({
      mcpAdvertisedUrl: advertisedUrl,
      lensesAdvertisedUrl: 'https://hq.example.test',
      scopes: [...ALL_SCOPES],
    }),
  });
  return {
    hq,
    mcp,
    introspections: () => count,
    advertisedUrl,
    tokens: (scopes, resource) => obtainTokens(hq, { scopes, resource: resource ?? `${advertisedUrl}/mcp` }),
    token: async (scopes, username) => (await obtainTokens(hq, { scopes, resource: `${advertisedUrl}/mcp`, username })).accessToken,
    close: async () => {
      await mcp.close();
      await hq.close();
    },
  };
}

export interface ApiKeyMcp {
  hq: RunningHq;
  mcp: RunningMcpHttpServer;
  /** Connected with HQ's API key; it listed the tools, so it validates structuredContent against each outputSchema. */
  client: Client;
  /** The tools/list answer. */
  tools: Tool[];
  close(): Promise<void>;
}

/** The emulator (on port 0) plus our server in API-key mode with every scope, and a connected client. */
export async function startApiKeyMcp(hqOptions: Omit<HqOptions, 'port'> = {}): Promise<ApiKeyMcp> {
  const hq = await startHq({ ...hqOptions, port: 0 });
  const closing: Array<() => Promise<void>> = [() => hq.close()];
  const close = async () => {
    for (const step of closing.splice(0).reverse()) await step();
  };
  try {
    const mcp = await startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl: hq.url, authenticator: new ApiKeyAuthenticator(hq.apiKey, ALL_SCOPES) });
    closing.push(() => mcp.close());
    const client = await connectClient(mcp.url, hq.apiKey);
    closing.push(() => client.close());
    const { tools } = await client.listTools();
    return { hq, mcp, client, tools, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** An SDK client over streamable HTTP sending `token` as the bearer. */
/** A v2 SDK client of one generation: `modern` pins 2026-07-28 (server/discover, no initialize), `legacy` runs the 2025 handshake. */
export function generationClient(generation: 'modern' | 'legacy', name = 'generations-test'): Client {
  return new Client({ name, version: '1' }, { versionNegotiation: { mode: generation === 'modern' ? { pin: MODERN_PROTOCOL_VERSION } : 'legacy' } });
}

export async function connectClient(url: string, token?: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'integration-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) } },
  });
  await client.connect(transport);
  return client;
}

/** The text of a tool result. */
export function resultText(result: unknown): string {
  const content = (result as CallToolResult).content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

/** The JSON answer of a successful tool call (structuredContent, unwrapped from `result`; a list tool's page items). */
export function resultJson(result: unknown): unknown {
  const call = result as CallToolResult;
  if (call.isError) throw new Error(`tool error: ${resultText(call)}`);
  const structured = call.structuredContent as Record<string, unknown> | undefined;
  if (structured && Object.keys(structured).length === 1 && 'result' in structured) return structured.result;
  if (structured && Array.isArray(structured.items) && 'next_offset' in structured) return structured.items;
  return structured ?? resultText(call);
}

/** A client holding `read` only: it lists the 24 read tools and a read tool answers (consumer groups of dev's orders). */
export async function assertReadOnlyClientWorks(client: Client): Promise<void> {
  assert.equal((await client.listTools()).tools.length, 24);
  const groups = resultJson(await client.callTool({ name: 'list_consumer_groups_by_topic', arguments: { environment: 'dev', topic: 'orders' } })) as unknown[];
  assert.ok(groups.length > 0);
}

/** A raw JSON-RPC POST to the MCP endpoint (for status codes and headers). */
export async function postRaw(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
