import * as assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import * as vscode from 'vscode';
import { LINK_SECRET_HEADER } from '../../src/mcp/auth/embeddedAuthenticator';
import { MODERN_PROTOCOL_VERSION } from '../../src/mcp/server';
import { connectWatchedMcpClient } from '../support/watchedMcpClient';
import { extensionApi, within } from './extension';
import { definitionsProbe, FiredAt, waitForLensesDefinitions, type DefinitionsProbe, type ProvidedDefinition } from './providedDefinitions';

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

/** An SDK client connected with a definition's URL and headers, counting tools/list_changed once its notification stream is open. */
function connectWith(definition: { url: string; headers: Record<string, string> }) {
  return within(connectWatchedMcpClient(definition.url, definition.headers, 'inhost-copilot-harness-like'), `connect to ${definition.url}`);
}

/** The one provided definition as URL and headers: from VS Code (the probe) when it runs, else from the provider. */
async function providedEndpoint(probe: DefinitionsProbe | undefined): Promise<{ url: string; headers: Record<string, string> }> {
  if (probe) {
    const { definitions } = await waitForLensesDefinitions(probe, (found) => found.length === 1 && found[0].url !== undefined);
    return { url: definitions[0].url ?? '', headers: definitions[0].headers ?? {} };
  }
  const [provided] = await (await extensionApi()).mcpProvider.provideMcpServerDefinitions();
  assert.ok(provided instanceof vscode.McpHttpServerDefinition);
  return { url: provided.uri.toString(), headers: provided.headers };
}

/** A loopback URL with a port and the link secret: the embedded server, as provided. */
function isEmbeddedServer(definition: ProvidedDefinition | undefined): boolean {
  return definition?.kind === 'http' && /^http:\/\/127\.0\.0\.1:\d+\/mcp$/.test(definition.url ?? '') && !!definition.headers?.[LINK_SECRET_HEADER];
}

describe('signed in to the emulator through the browser (in the extension host)', function () {
  let session: vscode.AuthenticationSession | undefined;
  let probe: DefinitionsProbe | undefined;
  /** When the provider fired onDidChangeMcpServerDefinitions. */
  let fired: FiredAt | undefined;
  /** When VS Code's own lm.onDidChangeMcpServerDefinitions fired (through the probe). */
  let vscodeChanged: FiredAt | undefined;
  /** How often the provider had fired when the sign-out began. */
  let firesAtSignOut = 0;

  before(async function () {
    if (!BROWSER_IS_DRIVEN) this.skip();
    probe = await definitionsProbe();
    fired = new FiredAt((await extensionApi()).mcpProvider.onDidChangeMcpServerDefinitions);
    const watched = probe;
    if (watched) vscodeChanged = new FiredAt((listener) => watched.onDidChange(listener));
  });

  after(async () => {
    fired?.dispose();
    vscodeChanged?.dispose();
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

  it('signing in makes the Lenses server appear in the definitions VS Code holds as provided (what the Copilot harness forwards): 127.0.0.1 with the link secret, no resolve', async function () {
    if (!probe) this.skip();
    const { definitions } = await waitForLensesDefinitions(probe, (found) => found.length === 1 && isEmbeddedServer(found[0]));
    assert.equal(definitions[0].label, 'Lenses');
    const firedAt = fired?.last;
    assert.ok(firedAt !== undefined, 'the provider fired onDidChangeMcpServerDefinitions on sign-in');
    // The measured delay (the provider's change event to VS Code's own change event) goes into the title.
    if (this.test) this.test.title += ` [definition change reached VS Code in ${vscodeChanged?.firstAfter(firedAt) ?? '?'} ms]`;
  });

  it("the PROVIDED definition is the working one: tools/list with its URL and headers answers the signed-in user's 24 read tools, and resolve gives the same", async () => {
    const api = await extensionApi();
    const provided = await providedEndpoint(probe);
    const [own] = await api.mcpProvider.provideMcpServerDefinitions();
    const resolved = await within(api.mcpProvider.resolveMcpServerDefinition(own), 'resolveMcpServerDefinition', 20_000);
    assert.ok(resolved instanceof vscode.McpHttpServerDefinition);
    assert.equal(resolved.uri.toString(), provided.url);
    assert.deepEqual(resolved.headers, provided.headers);
    const { client } = await connectWith(provided);
    try {
      const { tools } = await within(client.listTools(), 'tools/list');
      assert.equal(tools.length, 24, `read-only session: ${tools.map((tool) => tool.name).join(', ')}`);
    } finally {
      await client.close();
    }
  });

  it('resolving the MCP definition starts the embedded server on 127.0.0.1, which answers initialize with the link secret', async () => {
    const api = await extensionApi();
    const [provided] = await api.mcpProvider.provideMcpServerDefinitions();
    const resolved = await within(api.mcpProvider.resolveMcpServerDefinition(provided), 'resolveMcpServerDefinition', 20_000);
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
    const [provided] = await api.mcpProvider.provideMcpServerDefinitions();
    const resolved = await within(api.mcpProvider.resolveMcpServerDefinition(provided), 'resolveMcpServerDefinition', 20_000);
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

  it('a scope change reaches a running session: a client connected with the provided definition is told tools/list_changed and lists 40 tools; the definition stays (no restart)', async function () {
    const api = await extensionApi();
    const before = await providedEndpoint(probe);
    const firesBefore = fired?.times.length ?? 0;
    const connection = await connectWith(before);
    try {
      await within(connection.notificationStreamOpen, 'the notification stream');
      const changed = connection.nextChange();
      // Read + write this time: the browser driver grants every scope asked; the new session replaces the old one.
      session = await within(api.authProvider.createSession(['read', 'write']), 'sign-in with read and write through the browser', 60_000);
      const signedInAt = Date.now();
      await within(changed, 'tools/list_changed on the running connection', 15_000);
      const listChangedAfterMs = Date.now() - signedInAt;
      const { tools } = await within(connection.client.listTools(), 'tools/list');
      assert.equal(tools.length, 40, `read + write: ${tools.length} tools`);
      assert.deepEqual(await providedEndpoint(probe), before, 'the same URL and link secret: VS Code keeps its running server');
      assert.equal(fired?.times.length ?? 0, firesBefore, 'no definition change (it would stop the running server)');
      if (this.test) this.test.title += ` [tools/list_changed ${Math.max(0, listChangedAfterMs)} ms after the sign-in returned]`;
    } finally {
      await connection.client.close();
    }
  });

  it('removeSession signs out: VS Code lists no Lenses account again', async () => {
    const api = await extensionApi();
    assert.ok(session, 'signed in by the first test');
    firesAtSignOut = fired?.times.length ?? 0;
    const changed = nextLensesSessionChange();
    await within(api.authProvider.removeSession(session.id), 'removeSession');
    session = undefined;
    await within(changed, 'vscode.authentication.onDidChangeSessions for lenses');
    assert.deepEqual(await within(vscode.authentication.getAccounts('lenses'), 'getAccounts'), []);
    assert.deepEqual(await api.authProvider.getSessions(undefined), []);
  });

  it('signed out, the running server stays provided as it was (no definition change, so nothing is stopped) and lists no tools', async () => {
    const provided = await providedEndpoint(probe);
    assert.equal(fired?.times.length ?? 0, firesAtSignOut, 'no definition change on sign-out');
    assert.match(provided.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client } = await connectWith(provided);
    try {
      const { tools } = await within(client.listTools(), 'tools/list');
      assert.deepEqual(
        tools.map((tool) => tool.name),
        [],
      );
    } finally {
      await client.close();
    }
  });
});
