import * as assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import * as vscode from 'vscode';
import { LINK_SECRET_HEADER } from '../../src/mcp/embeddedAuthenticator';
import { MODERN_PROTOCOL_VERSION } from '../../src/mcp/server';
import { extensionApi, within } from './extension';

/**
 * Set by the code-server driver (test/e2e/inhost.e2e.ts), which completes the emulator's login
 * and consent (admin, read only) in the page openExternal opens. Desktop VS Code would open a
 * real browser nobody drives, so there these tests are skipped.
 */
const BROWSER_IS_DRIVEN = process.env.LENSES_INHOST_BROWSER_SIGN_IN === '1';

/** Resolves on VS Code's next session change of the Lenses provider (subscribe before acting). */
function nextLensesSessionChange(): Promise<void> {
  return new Promise<void>((resolve) => {
    const listener = vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id !== 'lenses') return;
      listener.dispose();
      resolve();
    });
  });
}

describe('signed in to the emulator through the browser (in the extension host)', function () {
  let session: vscode.AuthenticationSession | undefined;

  before(function () {
    if (!BROWSER_IS_DRIVEN) this.skip();
  });

  after(async () => {
    if (session) await (await extensionApi()).authProvider.removeSession(session.id).catch(() => undefined);
  });

  it('createSession signs in through the browser; VS Code then lists the account, the provider the session with the granted scope', async () => {
    const api = await extensionApi();
    const changed = nextLensesSessionChange();
    session = await within(api.authProvider.createSession(['read']), 'sign-in through the browser', 60_000);
    await within(changed, 'vscode.authentication.onDidChangeSessions for lenses');
    const accounts = await within(vscode.authentication.getAccounts('lenses'), 'getAccounts');
    assert.deepEqual(
      accounts.map((account) => account.label),
      ['admin'],
    );
    const [listed] = await api.authProvider.getSessions(['read']);
    assert.equal(listed?.id, session.id);
    assert.deepEqual([...(listed?.scopes ?? [])], ['read']);
    assert.deepEqual(await api.authProvider.getSessions(['read', 'write']), [], 'write was not granted');
    // VS Code hands a session to an extension only once the user allowed it ("wants to sign in");
    // a created session alone does not count, and silent never asks.
    assert.equal(await within(vscode.authentication.getSession('lenses', ['read'], { silent: true }), 'getSession(silent)'), undefined);
  });

  it('resolving the MCP definition starts the embedded server on 127.0.0.1, which answers initialize with the link secret', async () => {
    const api = await extensionApi();
    const [placeholder] = api.mcpProvider.provideMcpServerDefinitions();
    const resolved = await within(api.mcpProvider.resolveMcpServerDefinition(placeholder), 'resolveMcpServerDefinition', 20_000);
    assert.ok(resolved instanceof vscode.McpHttpServerDefinition);
    const url = new URL(resolved.uri.toString());
    assert.equal(url.hostname, '127.0.0.1');
    assert.notEqual(url.port, '');
    assert.ok(resolved.headers[LINK_SECRET_HEADER], `the ${LINK_SECRET_HEADER} header`);
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'inhost', version: '1' } },
    };
    const answer = await fetch(url, {
      method: 'POST',
      headers: { ...resolved.headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initialize),
    });
    assert.equal(answer.status, 200, await answer.clone().text());
    assert.match(await answer.text(), /"serverInfo"/);
    const refused = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initialize),
    });
    assert.equal(refused.status, 403, 'without the link secret');
    await refused.text();
  });

  it('the embedded server serves both protocol generations to the SDK v2 client: the 2025 handshake and 2026-07-28, the same 24 read tools', async () => {
    const api = await extensionApi();
    const [placeholder] = api.mcpProvider.provideMcpServerDefinitions();
    const resolved = await within(api.mcpProvider.resolveMcpServerDefinition(placeholder), 'resolveMcpServerDefinition', 20_000);
    assert.ok(resolved instanceof vscode.McpHttpServerDefinition);
    for (const generation of ['2025', MODERN_PROTOCOL_VERSION] as const) {
      const client = new Client(
        { name: 'inhost', version: '1' },
        { versionNegotiation: { mode: generation === MODERN_PROTOCOL_VERSION ? { pin: MODERN_PROTOCOL_VERSION } : 'legacy' } },
      );
      await within(
        client.connect(new StreamableHTTPClientTransport(new URL(resolved.uri.toString()), { requestInit: { headers: resolved.headers } })),
        `connect (${generation})`,
      );
      try {
        const { tools } = await within(client.listTools(), `tools/list (${generation})`);
        assert.equal(tools.length, 24, `${generation}: read-only session`);
        const environments = await within(client.callTool({ name: 'list_environments', arguments: {} }), `list_environments (${generation})`, 20_000);
        assert.notEqual(environments.isError, true, JSON.stringify(environments.content));
        assert.match(JSON.stringify(environments.content), /prod/, `${generation}: the emulator's environments`);
      } finally {
        await client.close();
      }
    }
  });

  it('removeSession signs out: VS Code lists no Lenses account again', async () => {
    const api = await extensionApi();
    assert.ok(session, 'signed in by the first test');
    const changed = nextLensesSessionChange();
    await within(api.authProvider.removeSession(session.id), 'removeSession');
    session = undefined;
    await within(changed, 'vscode.authentication.onDidChangeSessions for lenses');
    assert.deepEqual(await within(vscode.authentication.getAccounts('lenses'), 'getAccounts'), []);
    assert.deepEqual(await api.authProvider.getSessions(undefined), []);
  });
});
