import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CONFORMANCE_PACKAGE, conformanceNodeOrSkip, runConformanceCli } from './conformanceCli';

const EXPECTED_FAILURES = join(__dirname, 'expected-failures-client.yml');
const REVISIONS = ['2025-11-25', '2026-07-28'] as const;
/** Two scenarios at a time: each is a CLI, its servers and our client; the machine has two cores. */
const CONCURRENCY = 2;

/**
 * The `auth/*` client scenarios a revision requires (the `client:` list of its frozen
 * requirement file). The others there (tools_call, request-metadata, http-*-headers,
 * sep-2322-client-request-state, json-schema-ref-no-deref, …) test an MCP client, and this
 * package has none of its own: VS Code is the MCP client, the tests use the SDK's. The
 * extension scenarios under `not_scored` (client credentials, enterprise-managed, DPoP, WIF)
 * are nothing our client does.
 */
function requiredAuthScenarios(revision: string): string[] {
  const text = readFileSync(join(CONFORMANCE_PACKAGE, 'requirements', `${revision}.yaml`), 'utf8');
  const section = /^client:\n((?:[ \t]+-[^\n]*\n|[ \t]*#[^\n]*\n|\n)*)/m.exec(text)?.[1] ?? '';
  return [...section.matchAll(/^[ \t]+-[ \t]+(auth\/[\w-]+)/gm)].map((match) => match[1]);
}

/** The checks expected-failures-client.yml excuses, per scenario. */
function baselined(): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const match of readFileSync(EXPECTED_FAILURES, 'utf8').matchAll(/^[ \t]+-[ \t]+(auth\/[\w-]+):([\w-]+)/gm)) {
    entries.set(match[1], [...(entries.get(match[1]) ?? []), match[2]]);
  }
  return entries;
}

/** The checks that carry the 2026-07-28 authorization rules and the pre-registered client: they must run and pass, not merely not fail. */
const KEY_CHECKS: Record<string, string[]> = {
  'auth/metadata-issuer-mismatch': ['sep-2468-client-validate-metadata-issuer'],
  'auth/iss-wrong-issuer': ['sep-2468-client-compare-iss-supported'],
  'auth/authorization-server-migration': ['sep-2352-reregister-on-as-change', 'sep-2352-no-reuse-on-as-change', 'sep-2352-no-cross-as-credential-reuse'],
  'auth/scope-retry-limit': ['scope-retry-limit'],
  'auth/pre-registration': ['pre-registration-auth'],
};
const KEY_CHECKS_2026: Record<string, string[]> = { 'auth/scope-step-up': ['sep-2350-scope-union-on-reauth'] };

interface ScenarioRun {
  code: number | null;
  output: string;
  checks: Array<{ id: string; status: string }>;
}

describe('MCP conformance (OAuth client scenarios, 2025-11-25 and 2026-07-28) against src/oauth', function () {
  this.timeout(120_000);
  let workDir: string;
  let node: string;
  let clientBundle: string;
  const runs = new Map<string, Promise<ScenarioRun>>();
  const queue: Array<() => void> = [];
  let running = 0;

  before(async function () {
    node = conformanceNodeOrSkip(this);
    workDir = mkdtempSync(join(tmpdir(), 'lenses-client-conformance-')); // the CLI writes results/ into its cwd
    clientBundle = join(workDir, 'oauthClient.js');
    await build({
      entryPoints: [join(__dirname, 'oauthClient.ts')],
      outfile: clientBundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      logLevel: 'warning',
    });
    // Queue every run now (two at a time): each test below awaits its own.
    for (const revision of REVISIONS) for (const scenario of requiredAuthScenarios(revision)) run(scenario, revision).catch(() => undefined);
  });
  after(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Runs one scenario at one revision (at most CONCURRENCY at a time), with the baseline. */
  function run(scenario: string, revision: string): Promise<ScenarioRun> {
    const key = `${revision} ${scenario}`;
    let started = runs.get(key);
    if (!started) {
      started = new Promise<void>((go) => {
        queue.push(go);
        pump();
      }).then(() => runCli(scenario, revision));
      runs.set(key, started);
    }
    return started;
  }

  function pump(): void {
    while (running < CONCURRENCY && queue.length > 0) {
      running++;
      queue.shift()?.();
    }
  }

  async function runCli(scenario: string, revision: string): Promise<ScenarioRun> {
    const outputDir = join(workDir, 'results', revision);
    try {
      const { code, output } = await runConformanceCli(
        node,
        [
          'client',
          '--command',
          `"${node}" "${clientBundle}"`,
          '--scenario',
          scenario,
          '--spec-version',
          revision,
          '--expected-failures',
          EXPECTED_FAILURES,
          '-o',
          outputDir,
        ],
        workDir,
      );
      const [group, name] = scenario.split('/');
      const folder = readdirSync(join(outputDir, group)).find((entry) => entry.startsWith(`${name}-`));
      const checks = folder ? (JSON.parse(readFileSync(join(outputDir, group, folder, 'checks.json'), 'utf8')) as ScenarioRun['checks']) : [];
      return { code, output, checks };
    } finally {
      running--;
      pump();
    }
  }

  const excused = baselined();
  for (const revision of REVISIONS) {
    const scenarios = requiredAuthScenarios(revision);
    it(`${revision}: the requirement set lists the OAuth client scenarios this suite runs`, () => {
      // Frozen at the revision's release: 14 for 2025-11-25, those and 11 more for 2026-07-28.
      assert.equal(scenarios.length, revision === '2026-07-28' ? 25 : 14, scenarios.join(', '));
    });
    for (const scenario of scenarios) {
      const allowed = excused.get(scenario) ?? [];
      const label = allowed.length > 0 ? `passes every check but ${allowed.join(', ')} (expected-failures-client.yml)` : 'passes every check';
      it(`${revision} ${scenario}: ${label}`, async () => {
        const { code, output, checks } = await run(scenario, revision);
        const tail = output.slice(output.indexOf('Test Results:'));
        assert.equal(code, 0, tail);
        const failing = checks.filter((check) => check.status === 'FAILURE' || check.status === 'WARNING').map((check) => check.id);
        assert.deepEqual([...new Set(failing)].sort(), [...allowed].sort(), tail);
        assert.ok(
          checks.some((check) => check.status === 'SUCCESS'),
          tail,
        );
        const key = [...(KEY_CHECKS[scenario] ?? []), ...(revision === '2026-07-28' ? (KEY_CHECKS_2026[scenario] ?? []) : [])];
        for (const id of key) {
          assert.ok(
            checks.some((check) => check.id === id && check.status === 'SUCCESS'),
            `${id} did not pass\n${tail}`,
          );
        }
      });
    }
  }
});
