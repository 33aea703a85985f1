import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import {
  EmbeddedAuthenticator,
  LINK_SECRET_HEADER,
  type EmbeddedSession,
  type SessionRejection,
  type SessionSource,
} from '../../../src/mcp/auth/embeddedAuthenticator';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { TokenIntrospector } from '../../../src/mcp/auth/introspection';
import type { Scope } from '../../../src/scopes';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { INITIALIZE, postRaw, resultText } from './harness';
import { waitUntil, within } from '../../support/waiting';
import { connectWatchedMcpClient, type WatchedMcpClient } from '../../support/watchedMcpClient';

const SECRET = 'link-secret-0123456789abcdef';

/** A SessionSource fake standing in for the VS Code auth provider. */
class FakeSessions implements SessionSource {
  session: EmbeddedSession | undefined;
  /** Set to make currentSession() fail as when HQ cannot be reached for a refresh. */
  failure: Error | undefined;
  lost: string[] = [];
  async currentSession() {
    if (this.failure) throw this.failure;
    return this.session;
  }
  signedOutScopes(): readonly Scope[] {
    return ['read'];
  }
  sessionLost(reason: string) {
    this.lost.push(reason);
  }
  /** Tokens HQ no longer accepts, as reported (CL-19). */
  rejected: Array<[string, SessionRejection]> = [];
  sessionRejected(accessToken: string, why: SessionRejection) {
    this.rejected.push([accessToken, why]);
  }
}

/** An MCP client that talks to the embedded server as VS Code does (link secret), counting tools/list_changed. */
function connectAsEditor(url: string): Promise<WatchedMcpClient> {
  return connectWatchedMcpClient(url, { [LINK_SECRET_HEADER]: SECRET }, 'vscode-like');
}

/** Signed out: the fake source's signed-out scopes are listed, a call says to sign in, and the lost session is reported once. */
async function assertSignedOut(client: Client, sessions: FakeSessions): Promise<void> {
  assert.equal((await client.listTools()).tools.length, 24, 'the signed-out scopes of the fake source');
  const result = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
  assert.equal(result.isError, true);
  assert.match(resultText(result), /^Sign in to Lenses again/);
  assert.equal(sessions.lost.length, 1);
}

describe('Embedded mode (EmbeddedAuthenticator, as VS Code runs it)', function () {
  this.timeout(20_000);
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer;
  const sessions = new FakeSessions();

  const connect = () => connectAsEditor(mcp.url);

  before(async () => {
    hq = await startHq({ port: 0 });
    mcp = await startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl: hq.url, authenticator: new EmbeddedAuthenticator(SECRET, sessions) });
  });
  after(async () => {
    await mcp?.close();
    await hq?.close();
  });

  it('refuses a request without the link secret (403, not 401)', async () => {
    const response = await postRaw(mcp.url, INITIALIZE, { [LINK_SECRET_HEADER]: 'wrong-secret-0123456789' });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('www-authenticate'), null);
  });

  it('signed out: lists the signed-out scopes, never 401; a call says to sign in and reports the lost session', async () => {
    sessions.session = undefined;
    const { client } = await connect();
    try {
      await assertSignedOut(client, sessions);
    } finally {
      await client.close();
    }
  });

  it('signing in with other scopes sends tools/list_changed and changes the list; notifyToolsChanged reaches every session', async () => {
    sessions.session = undefined;
    const { client, changes, notificationStreamOpen } = await connect();
    try {
      await client.listTools();
      await within(notificationStreamOpen, "the client's notification stream opening", 5000);
      const token = (await obtainTokens(hq, { scopes: ['read', 'write', 'delete'] })).accessToken;
      sessions.session = { accessToken: token, scopes: ['read', 'write', 'delete'] };
      assert.equal((await client.listTools()).tools.length, 45);
      await waitUntil(() => changes() >= 1);
      const result = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(result.isError, undefined);
      mcp.notifyToolsChanged();
      await waitUntil(() => changes() >= 2);
    } finally {
      await client.close();
    }
  });

  it('HQ unreachable during a refresh keeps the last tools and says why, without a "session ended" notice', async () => {
    const token = (await obtainTokens(hq, { scopes: ['read', 'write'] })).accessToken;
    sessions.session = { accessToken: token, scopes: ['read', 'write'] };
    sessions.lost = [];
    const { client } = await connect();
    try {
      assert.equal((await client.listTools()).tools.length, 40);
      sessions.failure = new Error('Could not reach Lenses HQ (refresh).');
      assert.equal((await client.listTools()).tools.length, 40, 'the tools stay while HQ is briefly unreachable');
      const result = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /^Lenses cannot be used right now: Could not reach Lenses HQ \(refresh\)\. Your sign-in is kept/);
      assert.deepEqual(sessions.lost, []);
    } finally {
      sessions.failure = undefined;
      await client.close();
    }
  });

  it('CL-19 an HQ 401 on the session token reports the rejected session and tells the user to sign in again', async () => {
    sessions.session = { accessToken: 'revoked-or-unknown-token', scopes: ['read'] };
    sessions.rejected = [];
    const { client } = await connect();
    try {
      const result = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /Re-authenticate/);
      assert.deepEqual(sessions.rejected, [['revoked-or-unknown-token', 'unauthorized']]);
    } finally {
      await client.close();
    }
  });
});

describe('SSE resumability (event ids and the priming event)', function () {
  this.timeout(20_000);
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0 });
  });
  after(async () => {
    await hq?.close();
  });

  async function initializeStream(resumableStreams: boolean | undefined): Promise<string> {
    const sessions = new FakeSessions();
    const mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new EmbeddedAuthenticator(SECRET, sessions),
      resumableStreams,
    });
    try {
      const initialize = { ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion: '2025-11-25' } };
      const response = await postRaw(mcp.url, initialize, { [LINK_SECRET_HEADER]: SECRET });
      assert.equal(response.status, 200);
      return await response.text();
    } finally {
      await mcp.close();
    }
  }

  it('are on by default: the stream opens with an event id', async () => {
    assert.match(await initializeStream(undefined), /^id: /m);
  });

  it('are off for the embedded server: no event ids and no empty priming event (VS Code warns on it)', async () => {
    const stream = await initializeStream(false);
    assert.doesNotMatch(stream, /^id: /m);
    assert.doesNotMatch(stream, /^data: *$/m);
    assert.match(stream, /"serverInfo"/);
  });
});

describe('Embedded mode with introspection (as the extension runs it)', function () {
  this.timeout(20_000);
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer;
  const sessions = new FakeSessions();

  before(async () => {
    hq = await startHq({ port: 0 });
    const introspector = new TokenIntrospector({ url: `${hq.url}/oauth2/introspect`, cacheTtlSeconds: 0 });
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new EmbeddedAuthenticator(SECRET, sessions, undefined, introspector),
    });
  });
  after(async () => {
    await mcp?.close();
    await hq?.close();
  });

  async function listedTools(): Promise<number> {
    const { client } = await connectAsEditor(mcp.url);
    try {
      return (await client.listTools()).tools.length;
    } finally {
      await client.close();
    }
  }

  it('lists the tools of the scopes HQ holds for the token, not a wider stored set', async () => {
    const token = (await obtainTokens(hq, { scopes: ['read'] })).accessToken;
    sessions.session = { accessToken: token, scopes: ['read', 'write', 'delete'] };
    assert.equal(await listedTools(), 24);
  });

  it('CL-19 a grant revoked at HQ turns the session into signed out (tools say to sign in), with no 401', async () => {
    const tokens = await obtainTokens(hq, { scopes: ['read', 'write'] });
    sessions.session = { accessToken: tokens.accessToken, scopes: ['read', 'write'] };
    assert.equal(await listedTools(), 40);
    const revoke = await fetch(`${hq.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.accessToken, client_id: tokens.clientId }).toString(),
    });
    assert.equal(revoke.status, 200);
    sessions.lost = [];
    sessions.rejected = [];
    const { client } = await connectAsEditor(mcp.url);
    try {
      await assertSignedOut(client, sessions);
      assert.ok(
        sessions.rejected.length > 0 && sessions.rejected.every(([token, why]) => token === tokens.accessToken && why === 'inactive'),
        'CL-19: the inactive token is reported',
      );
    } finally {
      await client.close();
    }
  });
});
