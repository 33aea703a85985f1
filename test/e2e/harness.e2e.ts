// Self-test of the e2e harness: a real code-server, the workbench in Chromium, the palette, the probe.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Probe,
  freePort,
  makeWorkspace,
  openWorkbench,
  runCommand,
  screenshot,
  startCodeServer,
  waitForText,
  waitUntil,
  type OpenWorkbench,
  type RunningCodeServer,
} from './harness';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('e2e harness (code-server + Chromium)', function () {
  let server: RunningCodeServer;
  let workbench: OpenWorkbench;
  let probe: Probe;

  before(async function () {
    const workspace = makeWorkspace();
    server = await startCodeServer({ workspace, settings: { 'editor.fontSize': 13 } });
    workbench = await openWorkbench(server);
    probe = new Probe(workbench.page, server);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) await screenshot(workbench.page, `harness-${this.currentTest.title}`);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  it('starts the probe extension in an extension host of Code 1.139', async function () {
    await probe.waitForActivation();
    const activated = JSON.parse(readFileSync(path.join(server.probeDir, 'activated.json'), 'utf8')) as { vscode: string };
    assert.match(activated.vscode, /^1\.139\./);
  });

  it('runs a built-in command from the palette: the user settings show the harness defaults', async function () {
    await runCommand(workbench.page, 'Preferences: Open User Settings (JSON)');
    const tab = workbench.page.locator('.tabs-container .tab', { hasText: 'settings.json' });
    await tab.waitFor({ state: 'visible', timeout: 15_000 });
    // The tab shows before the editor has loaded the file: wait for the text, do not read it once.
    const editorText = await waitForText(workbench.page, '.editor-instance .view-lines', /"remote\.autoForwardPorts": false/, 15_000);
    assert.match(editorText, /"workbench\.startupEditor": "none"/);
  });

  it('says which entries the palette shows when a command title is not there', async function () {
    await assert.rejects(runCommand(workbench.page, 'Lenses E2E: No Such Command', 2000), /command "Lenses E2E: No Such Command" not in the palette/);
  });

  it('reads vscode.lm.tools through the probe: built-in tools, no Lenses tools without a Lenses server', async function () {
    // Built-in tools register while the workbench starts: wait for them rather than read once.
    const dump = await waitUntil(
      () => probe.dumpTools(),
      (d) => d.total > 0,
      { timeoutMs: 20_000, what: 'vscode.lm.tools to list the built-in tools' },
    );
    assert.deepEqual(dump.names, []);
  });

  it('runs commands in the extension host through the probe and reports a missing one', async function () {
    const result = await probe.executeCommand('lenses.noSuchCommand');
    assert.deepEqual(result, { ok: false, error: "Error: command 'lenses.noSuchCommand' not found" });
  });
});

describe('e2e harness close()', function () {
  it('listens on the port it is given, and close() stops code-server and its extension host and leaves no socket in the temp folder', async function () {
    const sockets = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => /^vscode-ipc-.*\.sock$/.test(name)) : []);
    const workspace = makeWorkspace();
    const port = await freePort();
    const server = await startCodeServer({ workspace, port });
    const workbench = await openWorkbench(server);
    try {
      assert.equal(server.origin, `http://127.0.0.1:${port}`);
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).ok, true);
      await new Probe(workbench.page, server).waitForActivation();
      const { pid } = JSON.parse(readFileSync(path.join(server.probeDir, 'activated.json'), 'utf8')) as { pid: number };
      assert.ok(processAlive(pid), 'the extension host runs before close()');
      assert.ok(sockets(server.tempDir).length > 0, "the extension host's IPC sockets are in code-server's own temp folder");
      assert.notEqual(path.dirname(server.tempDir), os.tmpdir());
      await server.close();
      assert.equal(processAlive(pid), false, 'the extension host is gone after close()');
      await assert.rejects(fetch(`${server.origin}/healthz`), 'nothing listens on the port any more');
      // Killed processes leave their sockets: they go with code-server's folder (npm run demo too).
      assert.equal(existsSync(server.tempDir), false, "code-server's temp folder is removed");
    } finally {
      await workbench.close();
      await server.close();
    }
  });
});
