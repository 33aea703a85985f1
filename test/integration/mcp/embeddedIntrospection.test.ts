import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../src/log';
import { EmbeddedAuthenticator, LINK_SECRET_HEADER, type EmbeddedSession, type SessionSource } from '../../../src/mcp/auth/embeddedAuthenticator';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { TokenIntrospector } from '../../../src/mcp/auth/introspection';
import { introspectionEndpointFromMetadata } from '../../../src/mcp/auth/introspectionEndpoint';
import type { Scope } from '../../../src/scopes';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { resultText } from './harness';

const SECRET = 'link-secret-0123456789abcdef';
const INTROSPECTION_PATH = '/hq-oauth/token-info';

/**
 * Lenses HQ in front of the emulator, with its introspection endpoint at a path of its own
 * (named only in its metadata), and a switch for HQ's `unauthenticatedIntrospection`.
 */
async function hqWithOwnIntrospectionPath(
  hq: RunningHq,
): Promise<{ url: string; seen: string[]; unauthenticatedIntrospection: boolean; close(): Promise<void> }> {
  const state = { url: '', seen: [] as string[], unauthenticatedIntrospection: true, close: async () => {} };
  const body = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      state.seen.push(`${request.method} ${path}`);
      if (path === '/.well-known/oauth-authorization-server') {
        const metadata = (await (await fetch(`${hq.url}${path}`)).json()) as Record<string, unknown>;
        return void response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ...metadata, issuer: state.url, introspection_endpoint: `${state.url}${INTROSPECTION_PATH}` }));
      }
      if (path === '/oauth2/introspect') return void response.writeHead(404).end();
      if (path === INTROSPECTION_PATH && !state.unauthenticatedIntrospection) {
        // What an OAuth server that wants client authentication answers (oidc-provider's words).
        return void response
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_request', error_description: 'no client authentication mechanism provided' }));
      }
      const target = path === INTROSPECTION_PATH ? `${hq.url}/oauth2/introspect` : `${hq.url}${request.url}`;
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'accept']) if (typeof request.headers[name] === 'string') headers[name] = request.headers[name];
      const payload = request.method === 'GET' || request.method === 'HEAD' ? undefined : await body(request);
      const answer = await fetch(target, { method: request.method, headers, body: payload });
      response
        .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
        .end(Buffer.from(await answer.arrayBuffer()));
    })().catch(() => response.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

class FakeSessions implements SessionSource {
  constructor(public session: EmbeddedSession | undefined) {}
  lost: string[] = [];
  async currentSession() {
    return this.session;
  }
  signedOutScopes(): readonly Scope[] {
    return ['read'];
  }
  sessionLost(reason: string) {
    this.lost.push(reason);
  }
  rejected: string[] = [];
  sessionRejected(accessToken: string) {
    this.rejected.push(accessToken);
  }
}

describe("Embedded mode: the introspection endpoint comes from HQ's metadata", function () {
  this.timeout(20_000);
  let hq: RunningHq;
  let standIn: Awaited<ReturnType<typeof hqWithOwnIntrospectionPath>>;
  let mcp: RunningMcpHttpServer | undefined;
  let client: Client | undefined;
  const logs: string[] = [];
  const logger: Logger = { trace: () => {}, debug: () => {}, info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(String(m)) };

  before(async () => {
    hq = await startHq({ port: 0 });
    standIn = await hqWithOwnIntrospectionPath(hq);
  });
  afterEach(async () => {
    await client?.close();
    await mcp?.close();
    client = undefined;
    mcp = undefined;
  });
  after(async () => {
    await standIn?.close();
    await hq?.close();
  });

  /** The embedded server as the extension builds it, for a session holding `token`; connected as VS Code. */
  async function connectEmbedded(sessions: FakeSessions): Promise<Client> {
    const introspector = new TokenIntrospector({ url: () => introspectionEndpointFromMetadata(standIn.url), cacheTtlSeconds: 30, logger });
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: standIn.url,
      authenticator: new EmbeddedAuthenticator(SECRET, sessions, logger, introspector),
      logger,
      resumableStreams: false,
    });
    const connected = new Client({ name: 'vscode-like', version: '1' });
    await connected.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { [LINK_SECRET_HEADER]: SECRET } } }));
    client = connected;
    return connected;
  }

  it('introspects where the metadata says (not /oauth2/introspect): the tools follow the scopes HQ holds', async () => {
    standIn.unauthenticatedIntrospection = true;
    standIn.seen.length = 0;
    const token = (await obtainTokens(hq, { scopes: ['read'] })).accessToken;
    const editor = await connectEmbedded(new FakeSessions({ accessToken: token, scopes: ['read', 'write', 'delete'] }));
    assert.equal((await editor.listTools()).tools.length, 24, "HQ's answer (read) was used, not the stored scopes");
    const result = await editor.callTool({ name: 'list_environments', arguments: {} });
    assert.equal(result.isError, undefined, resultText(result));
    assert.ok(standIn.seen.includes(`POST ${INTROSPECTION_PATH}`));
    assert.ok(!standIn.seen.includes('POST /oauth2/introspect'));
    assert.equal(standIn.seen.filter((line) => line === 'GET /.well-known/oauth-authorization-server').length, 1, 'the metadata is read once');
  });

  it('HQ refuses unauthenticated introspection: one log line, and every tool answer says HQ needs unauthenticatedIntrospection: true', async () => {
    standIn.unauthenticatedIntrospection = false;
    logs.length = 0;
    const token = (await obtainTokens(hq, { scopes: ['read', 'write'] })).accessToken;
    const sessions = new FakeSessions({ accessToken: token, scopes: ['read', 'write'] });
    const editor = await connectEmbedded(sessions);
    assert.equal((await editor.listTools()).tools.length, 40, "the session's tools stay listed");
    for (let i = 0; i < 3; i++) {
      const result = await editor.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(result.isError, true);
      assert.match(
        resultText(result),
        /^Lenses cannot check your sign-in: Lenses HQ refuses unauthenticated token introspection \(HTTP 400 invalid_request\): ask your Lenses admin to set `unauthenticatedIntrospection: true`/,
      );
    }
    assert.equal(logs.filter((line) => line.includes('unauthenticatedIntrospection')).length, 1, logs.join('\n'));
    assert.ok(logs.every((line) => !line.includes(token)));
    assert.deepEqual(sessions.lost, [], 'the sign-in is kept: no "session ended" notice');
  });
});

describe('Embedded mode: HQ answering introspection with scope as a list', function () {
  this.timeout(20_000);

  it('the tools follow the listed scopes (["read", "write"]) as they follow "read write"', async () => {
    const hq = await startHq({ port: 0, oauthModes: { introspectionScopeList: true } });
    const token = (await obtainTokens(hq, { scopes: ['read', 'write'] })).accessToken;
    const introspector = new TokenIntrospector({ url: () => introspectionEndpointFromMetadata(hq.url), cacheTtlSeconds: 0 });
    const sessions = new FakeSessions({ accessToken: token, scopes: ['read', 'write', 'delete'] });
    const mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new EmbeddedAuthenticator(SECRET, sessions, undefined, introspector),
      resumableStreams: false,
    });
    const editor = new Client({ name: 'vscode-like', version: '1' });
    try {
      assert.deepEqual((await hq.introspect(token)).scope, ['read', 'write']);
      await editor.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { [LINK_SECRET_HEADER]: SECRET } } }));
      assert.equal((await editor.listTools()).tools.length, 40, "HQ's listed scopes (read, write) narrowed the stored ones");
      const result = await editor.callTool({ name: 'list_environments', arguments: {} });
      assert.equal(result.isError, undefined, resultText(result));
      assert.deepEqual(sessions.rejected, []);
    } finally {
      await editor.close();
      await mcp.close();
      await hq.close();
    }
  });
});
