import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_KEY_PLACEHOLDER, mcpConfiguration } from '../../src/vscode/mcp/mcpConfiguration';
import { bundledBinAndHq, buildBin, startBin } from '../integration/mcp/standaloneProcess';
import { clientOrSkip, inspectorCli, runClient, type InteropClient } from './clients';

/** The JSON the Inspector CLI prints for a method, parsed; fails with what it printed otherwise. */
function printed(run: { code: number | null; stdout: string; stderr: string }): unknown {
  assert.equal(run.code, 0, `the Inspector exited ${run.code}: ${run.stderr.slice(-800)}`);
  return JSON.parse(run.stdout);
}

function toolNames(answer: unknown): string[] {
  return (answer as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
}

function textOf(answer: unknown): string {
  return (answer as { content: Array<{ type: string; text?: string }> }).content.map((part) => part.text ?? '').join('');
}

describe('MCP Inspector CLI (pinned, from npm) against the bundled lenses-mcp and the HQ emulator', function () {
  this.timeout(30_000);
  const hq = bundledBinAndHq();
  let inspector: InteropClient;
  let node: string;
  let workDir: string;

  before(async function () {
    ({ client: inspector, node } = clientOrSkip(this, inspectorCli));
    workDir = mkdtempSync(join(tmpdir(), 'lenses-interop-inspector-'));
    await buildBin();
  });
  after(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('stdio from the copied Claude Desktop / Cursor configuration (the API key put in): lists the tools and calls one', async () => {
    const form = mcpConfiguration({ client: 'claude-desktop-cursor', transport: 'stdio' }, { lensesUrl: hq().url, bundledServerPath: await buildBin() });
    const config = join(workDir, 'claude_desktop_config.json');
    writeFileSync(config, form.replace(API_KEY_PLACEHOLDER, hq().apiKey)); // what the user does with it: the key put in
    const listed = printed(await runClient(node, [inspector.entry, '--cli', '--config', config, '--server', 'lenses', '--method', 'tools/list']));
    assert.equal(toolNames(listed).length, 45);
    assert.ok(toolNames(listed).includes('create_topic'));
    const called = printed(
      await runClient(node, [inspector.entry, '--cli', '--config', config, '--server', 'lenses', '--method', 'tools/call', '--tool-name', 'list_environments']),
    );
    assert.match(textOf(called), /"name": "dev"/);
  });

  it('stdio from the copied GitHub Copilot CLI entry ("type": "local", the key put in): the Inspector reads it the same way and lists the tools', async () => {
    const form = mcpConfiguration({ client: 'copilot-cli', transport: 'stdio' }, { lensesUrl: hq().url, bundledServerPath: await buildBin() });
    const config = join(workDir, 'mcp-config.json');
    writeFileSync(config, form.replace(API_KEY_PLACEHOLDER, hq().apiKey));
    const listed = printed(await runClient(node, [inspector.entry, '--cli', '--config', config, '--server', 'lenses', '--method', 'tools/list']));
    assert.equal(toolNames(listed).length, 45);
  });

  it('HTTP to the bundled server in API-key mode: lists the tools and calls one with arguments', async () => {
    const bin = await startBin({ TRANSPORT: 'http', LENSES_URL: hq().url, LENSES_API_KEY: hq().apiKey, HOST: '127.0.0.1', PORT: '0' });
    try {
      const listed = printed(await runClient(node, [inspector.entry, '--cli', bin.url, '--transport', 'http', '--method', 'tools/list']));
      assert.equal(toolNames(listed).length, 45);
      const called = printed(
        await runClient(node, [
          inspector.entry,
          '--cli',
          bin.url,
          '--transport',
          'http',
          '--method',
          'tools/call',
          '--tool-name',
          'get_topic',
          '--tool-arg',
          'environment=dev',
          'topic_name=customers',
        ]),
      );
      assert.match(textOf(called), /"isCompacted": true/);
    } finally {
      assert.equal(await bin.stop('SIGTERM'), 0);
    }
  });
});
