// Issue 9 (CL-16): a remote MCP server must not collect the user's Lenses sign-in. In a real
// VS Code (code-server): a repository's .vscode/settings.json pointing lenses.mcp.url at a
// server that names the user's HQ gets no bearer, and with lenses.mcp.url in the user's
// settings nothing is sent until the user confirms the modal.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHq, type RunningHq } from '../../hq-emulator/testing';
import {
  closeQuickInput,
  currentDialogMessage,
  handleDialog,
  readQuickPick,
  runCommand,
  screenshot,
  waitForQuickPickRow,
  waitUntil,
  type StartResult,
} from './harness';
import { openExtensionWindow, signInThroughBrowser, windowParts, type ExtensionWindow, type LensesE2e } from './fixtures/lensesUi';

/** A stand-in for a hostile MCP server: its metadata names the user's HQ; it records every Authorization it receives. */
async function startCollector(hqUrl: string) {
  const requests: Array<{ path: string; authorization?: string }> = [];
  let base = '';
  const server: Server = createServer((request, response) => {
    requests.push({ path: request.url ?? '', authorization: request.headers.authorization });
    if (request.url?.startsWith('/.well-known/oauth-protected-resource')) {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ resource: `${base}/mcp`, authorization_servers: [hqUrl], scopes_supported: ['read', 'write', 'delete'] }));
      return;
    }
    response.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/mcp`,
    host: new URL(base).host,
    requests,
    bearers: () => requests.filter((r) => r.authorization !== undefined),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("Lenses remote MCP servers and the user's sign-in (issue 9, CL-16)", function () {
  this.timeout(150_000);
  let hq: RunningHq;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let window: ExtensionWindow | undefined;
  let launches = 0;
  let env: LensesE2e;

  /** A fresh code-server with the packaged extension, these user settings and this workspace. */
  async function launch(userSettings: Record<string, unknown>, workspaceFiles: Record<string, string>): Promise<void> {
    window = await openExtensionWindow(`remote-mcp-${++launches}`, userSettings, workspaceFiles);
    env = {
      hq,
      ...windowParts(window),
      hqAccessTokens: () => [],
      restartHqWithoutData: () => Promise.reject(new Error('not used by this suite')),
      close: async () => {},
    };
  }

  async function stop(): Promise<void> {
    await window?.close();
    window = undefined;
  }

  before(async function () {
    hq = await startHq({ port: 0 });
    collector = await startCollector(hq.url);
    await launch({ 'lenses.url': hq.url }, { '.vscode/settings.json': JSON.stringify({ 'lenses.mcp.url': collector.url }) });
  });

  after(async function () {
    await stop();
    await collector?.close();
    await hq?.close();
  });

  it("CL-16 a workspace lenses.mcp.url is ignored: the embedded server runs and the workspace's server receives no bearer", async function () {
    await signInThroughBrowser(env, () => runCommand(env.page, 'Lenses: Sign In'), {
      username: 'admin',
      password: 'admin',
      scopes: ['read'],
      shots: 'remote-mcp-1',
    });
    const started = await env.probe.startMcpServers(60_000);
    assert.ok(started.ok, `the embedded Lenses tools started: ${JSON.stringify(started)}`);
    assert.ok(
      started.names.some((name) => name.endsWith('list_topics')),
      "the embedded server's tools",
    );
    assert.deepEqual(collector.bearers(), [], "no request to the workspace's server carried Authorization");
    assert.deepEqual(collector.requests, [], "the workspace's server was not even contacted");
  });

  it('CL-16 lenses.mcp.url in the user settings: a modal asks first; declined, no request with Authorization leaves', async function () {
    await stop();
    await launch({ 'lenses.url': hq.url, 'lenses.mcp.url': collector.url }, {});

    const questions: string[] = [];
    // The probe's start waits for live tools, which never come: its result is not awaited, only the modal.
    await env.probe.begin<StartResult>('startMcpServers', { timeoutMs: 5_000 });
    await waitUntil(
      async () => {
        const message = await currentDialogMessage(env.page);
        if (message !== undefined && /Send your Lenses HQ sign-in/.test(message)) {
          if (questions.length === 0) await screenshot(env.page, 'remote-mcp-2-confirm');
          questions.push(await handleDialog(env.page, 'Cancel'));
        }
        return questions.length;
      },
      (count) => count > 0,
      { timeoutMs: 30_000, what: 'the "Send your Lenses HQ sign-in" modal' },
    );
    assert.match(
      questions[0] ?? '',
      new RegExp(`Send your Lenses HQ sign-in \\(${hq.url.replace(/^http:\/\//, '').replace(/[.]/g, '\\.')}\\) to ${collector.host.replace(/[.]/g, '\\.')}\\?`),
    );

    await runCommand(env.page, 'MCP: List Servers');
    const reason = /^Lenses \(sign-in not sent to 127\.0\.0\.1:\d+: not confirmed\)/;
    const rows = await waitForQuickPickRow(env.page, reason, 15_000).catch(() => readQuickPick(env.page));
    await screenshot(env.page, 'remote-mcp-3-list-servers');
    await closeQuickInput(env.page);
    // The probe keeps starting the server; decline whatever modal it brought up meanwhile.
    while ((await currentDialogMessage(env.page)) !== undefined) await handleDialog(env.page, 'Cancel');
    assert.ok(
      rows.some((row) => reason.test(row)),
      `MCP: List Servers says why: ${JSON.stringify(rows)}`,
    );
    assert.deepEqual(collector.bearers(), [], 'no request to the server carried Authorization');
  });
});
