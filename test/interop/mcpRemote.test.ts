import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { mcpConfiguration } from '../../src/vscode/mcp/mcpConfiguration';
import type { Scope } from '../../src/scopes';
import { completeAuthorizationInBrowserless } from '../../hq-emulator/testing';
import { generationClient, resultJson, resultText } from '../integration/mcp/harness';
import { bundledBinAndHq, buildBin, startBin, type RunningBin } from '../integration/mcp/standaloneProcess';
import { clientOrSkip, mcpRemote, type InteropClient } from './clients';

/** A port nobody listens on now: the server's advertised URL (its OAuth resource) must name it before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  await new Promise((closed) => server.close(closed));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The user's browser, for a client that opens one through `xdg-open`: a BROWSER script that
 * writes each URL it is asked to open to a file, and a watcher that signs in at the emulator's
 * consent page for each new one, ticking the next scopes of `consents`.
 */
function headlessBrowser(dir: string, consents: Scope[][]) {
  const urlsFile = join(dir, 'opened-urls');
  const script = join(dir, 'browser.sh');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${urlsFile}'\n`);
  chmodSync(script, 0o755);
  const opened: URL[] = [];
  const failures: unknown[] = [];
  const timer = setInterval(() => {
    if (!existsSync(urlsFile)) return;
    const lines = readFileSync(urlsFile, 'utf8').split('\n').filter(Boolean);
    for (const line of lines.slice(opened.length)) {
      opened.push(new URL(line));
      const tick = consents[opened.length - 1] ?? [];
      void completeAuthorizationInBrowserless(line, { username: 'admin', password: 'admin', tick, deliver: true }).catch((error: unknown) =>
        failures.push(error),
      );
    }
  }, 100);
  return { script, opened, failures, stop: () => clearInterval(timer) };
}

describe('mcp-remote (pinned, from npm): OAuth sign-in at the HQ emulator through the bundled lenses-mcp', function () {
  this.timeout(45_000);
  const hq = bundledBinAndHq();
  let remote: InteropClient;
  let node: string;
  let workDir: string;
  let bin: RunningBin | undefined;

  before(async function () {
    ({ client: remote, node } = clientOrSkip(this, mcpRemote));
    workDir = mkdtempSync(join(tmpdir(), 'lenses-interop-mcp-remote-'));
    await buildBin();
  });
  after(async () => {
    if (bin) await bin.stop('SIGTERM');
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('signs in with partial consent (read), steps up on a write (403 insufficient_scope), and the write after it creates the topic at HQ', async () => {
    const port = await freePort();
    bin = await startBin({
      OAUTH_ENABLED: 'true',
      MCP_ADVERTISED_URL: `http://127.0.0.1:${port}`,
      LENSES_URL: hq().url,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    // the URL is the one the copied Cursor configuration carries
    const { url } = (
      JSON.parse(mcpConfiguration({ client: 'claude-desktop-cursor', transport: 'http' }, { lensesUrl: hq().url, mcpUrl: bin.url })) as {
        mcpServers: { lenses: { url: string } };
      }
    ).mcpServers.lenses;
    const browser = headlessBrowser(workDir, [['read'], ['read', 'write']]);
    let stderr = '';
    const transport = new StdioClientTransport({
      command: node,
      args: [remote.entry, url, '--host', '127.0.0.1', '--allow-http'],
      // no desktop: xdg-open falls back to $BROWSER; mcp-remote keeps its tokens under MCP_REMOTE_CONFIG_DIR
      env: { PATH: process.env.PATH ?? '', HOME: workDir, BROWSER: browser.script, MCP_REMOTE_CONFIG_DIR: join(workDir, 'mcp-auth') },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = generationClient('legacy', 'interop-mcp-remote');
    try {
      await client.connect(transport);
      assert.equal(browser.opened.length, 1, stderr.slice(-2000));
      assert.equal(browser.opened[0].searchParams.get('code_challenge_method'), 'S256');
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      assert.equal(tools.length, 24, 'read only: the consent ticked read');
      assert.ok(!tools.includes('create_topic'));

      const topic = `interop-mcp-remote-${Date.now()}`;
      const result = await client.callTool({ name: 'create_topic', arguments: { environment: 'dev', topic_name: topic, partitions: 1, replication: 1 } });
      assert.equal(browser.opened.length, 2, `a step-up sign-in was opened: ${stderr.slice(-2000)}`);
      assert.match(browser.opened[1].searchParams.get('scope') ?? '', /write/);
      assert.ok(!result.isError, resultText(result));
      assert.ok(resultJson(result) !== undefined);

      const listed = await fetch(`${hq().url}/api/v1/environments/dev/proxy/api/topics`, { headers: { authorization: `Bearer ${hq().apiKey}` } });
      const topics = (await listed.json()) as Array<{ topicName: string }>;
      assert.ok(
        topics.some((t) => t.topicName === topic),
        `${topic} is at HQ`,
      );
      assert.deepEqual(browser.failures, []);
    } finally {
      browser.stop();
      await client.close();
    }
  });
});
