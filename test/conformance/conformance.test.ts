import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceNodeOrSkip, runConformanceCli } from './conformanceCli';
import { startHq, type RunningHq } from '../../hq-emulator/testing';
import { startBin, type RunningBin } from '../integration/mcp/standaloneProcess';

const EXPECTED_FAILURES = join(__dirname, 'expected-failures.yml');
const EXPECTED_FAILURES_2026 = join(__dirname, 'expected-failures-2026-07-28.yml');

describe('MCP conformance (server scenarios, both protocol generations) against the standalone lenses-mcp', function () {
  this.timeout(180_000);
  let hq: RunningHq;
  let bin: RunningBin;
  let workDir: string;
  let node: string;

  before(async function () {
    node = conformanceNodeOrSkip(this);
    hq = await startHq({ port: 0 });
    bin = await startBin({ LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey, TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0' });
    workDir = mkdtempSync(join(tmpdir(), 'lenses-conformance-')); // the CLI writes results/ into its cwd
  });
  after(async () => {
    await bin?.stop();
    await hq?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Runs the conformance CLI's server scenarios against the bin; resolves with its exit code and the summary it printed. */
  async function runScenarios(selection: string[], expectedFailures: string): Promise<{ code: number | null; summary: string }> {
    const { code, output } = await runConformanceCli(node, ['server', '--url', bin.url, ...selection, '--expected-failures', expectedFailures], workDir);
    return { code, summary: output.slice(output.indexOf('=== SUMMARY ===')) };
  }

  it('2025-11-25 (initialize handshake, sessions): passes every scenario but the fixture-only ones in expected-failures.yml, dns-rebinding-protection included', async () => {
    const { code, summary } = await runScenarios(['--suite', 'all', '--spec-version', '2025-11-25'], EXPECTED_FAILURES);
    assert.equal(code, 0, summary);
    assert.match(summary, /✓ dns-rebinding-protection: [1-9]\d* passed, 0 failed/);
    for (const scenario of ['server-initialize', 'ping', 'logging-set-level', 'tools-list', 'prompts-list', 'server-sse-multiple-streams']) {
      assert.match(summary, new RegExp(`✓ ${scenario}: `), scenario);
    }
  });

  it('2026-07-28 (stateless, a _meta envelope per request): passes what the revision requires but the fixture-only checks in expected-failures-2026-07-28.yml', async () => {
    const { code, summary } = await runScenarios(['--requirements', '2026-07-28'], EXPECTED_FAILURES_2026);
    assert.equal(code, 0, summary);
    // server-stateless is more than its fixture checks: discover, the envelope rules, 400/404 codes, subscriptions/listen.
    assert.match(summary, /server-stateless: (2[0-9]|[3-9]\d) passed/);
    for (const scenario of [
      'tools-list',
      'prompts-list',
      'dns-rebinding-protection',
      'server-sse-multiple-streams',
      'input-required-result-unsupported-methods',
      'input-required-result-validate-input',
      // The views (ui://) and skills make resources/list, templates and read real: these pass whole now.
      'caching',
      'resources-list',
      'sep-2164-resource-not-found',
    ]) {
      assert.match(summary, new RegExp(`✓ ${scenario}: [1-9]\\d* passed, 0 failed`), scenario);
    }
  });
});
