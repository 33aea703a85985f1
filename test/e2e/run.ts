// Runs the end-to-end suite (test/e2e/**/*.e2e.ts) in a real VS Code (code-server) + headless
// Chromium and ends with one line "e2e: N passed, N failed, N skipped"; non-zero exit on failure.
// Usage: tsx test/e2e/run.ts [--grep <pattern>] [file.e2e.ts ...]
// Writes the counts as JSON to $LENSES_TEST_SUMMARY when set (scripts/test.sh adds them up).
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { ensureE2eTools } from './harness/tools';

function e2eFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'probe-extension' ? [] : e2eFiles(full);
    return entry.name.endsWith('.e2e.ts') ? [full] : [];
  });
}

function parseArgs(argv: string[]): { grep?: string; files: string[] } {
  const files: string[] = [];
  let grep: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--grep') grep = argv[++i];
    else files.push(path.resolve(argv[i]));
  }
  return { grep, files };
}

async function main(): Promise<number> {
  const { grep, files } = parseArgs(process.argv.slice(2));
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const summary = () => {
    console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    if (process.env.LENSES_TEST_SUMMARY) writeFileSync(process.env.LENSES_TEST_SUMMARY, JSON.stringify(counts));
  };
  try {
    ensureE2eTools();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    counts.failed = 1;
    summary();
    return 1;
  }

  // One VS Code at a time: the machine is small and every suite starts its own.
  const mocha = new Mocha({ timeout: 180_000, slow: 30_000, reporter: 'spec', grep });
  for (const file of files.length > 0 ? files : e2eFiles(__dirname).sort()) mocha.addFile(file);
  await mocha.loadFilesAsync();
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => counts.passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => counts.failed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => counts.skipped++);
  });
  summary();
  return counts.failed > 0 ? 1 : 0;
}

// Exit explicitly: the harness's exit hooks then stop anything a failed suite left running.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('e2e: 0 passed, 1 failed, 0 skipped');
    process.exit(1);
  },
);
