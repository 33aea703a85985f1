// The in-host suite's entry for code-server's smoke-test driver (`extensionTestsPath`): runs
// every *.test.js next to this file with mocha inside the extension host and writes a JSON
// report to $LENSES_INHOST_REPORT (the host's console is cut off when the window stops).
// Desktop VS Code runs the same files through @vscode/test-cli (.vscode-test.mjs) instead.
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';

/** One test's outcome, as the driver prints it. */
export interface InHostResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
}

/** What the report file holds. */
export interface InHostReport {
  passed: number;
  failed: number;
  skipped: number;
  tests: InHostResult[];
}

/** Called by VS Code's test host: resolves when every test passed. */
export async function run(): Promise<void> {
  // Mocha 12 is an ES module; the extension host (Node >= 22) can require it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('mocha') as typeof MochaType | { default: typeof MochaType };
  const Mocha = 'default' in loaded ? loaded.default : loaded;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  for (const file of readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, file));

  const report: InHostReport = { passed: 0, failed: 0, skipped: 0, tests: [] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (test) => report.tests.push({ title: test.fullTitle(), state: 'passed' }));
    runner.on(EVENT_TEST_PENDING, (test) => report.tests.push({ title: test.fullTitle(), state: 'pending' }));
    runner.on(EVENT_TEST_FAIL, (test, error: unknown) =>
      report.tests.push({ title: test.fullTitle(), state: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  report.passed = report.tests.filter((t) => t.state === 'passed').length;
  report.failed = report.tests.filter((t) => t.state === 'failed').length;
  report.skipped = report.tests.filter((t) => t.state === 'pending').length;
  if (process.env.LENSES_INHOST_REPORT) writeFileSync(process.env.LENSES_INHOST_REPORT, JSON.stringify(report, null, 2));
  if (report.failed > 0) throw new Error(`${report.failed} in-host test(s) failed`);
}
