// Issue 23: `npm run demo` leaves no temporary folder behind, however it is stopped: Ctrl+C
// (SIGINT to the terminal's process group), SIGTERM to npm alone, or a start that fails.
// Each run gets a TMPDIR of its own, so "nothing left" is exact even beside other runs.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectVsix, repoRoot, waitUntil } from './harness';

interface DemoRun {
  npm: ChildProcess;
  tmp: string;
  output(): string;
  exited: Promise<number | null>;
}

/** `npm run demo -- <args>` in a process group of its own (as a terminal runs it), with its own TMPDIR. */
function startDemo(args: string[]): DemoRun {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lenses-demo-test-'));
  let output = '';
  const npm = spawn('npm', ['run', 'demo', '--', ...args], {
    cwd: repoRoot,
    env: { ...process.env, TMPDIR: tmp },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  return { npm, tmp, output: () => output, exited };
}

/** The demo's temporary folders (code-server's profile, the workspace) in its TMPDIR. */
function demoFolders(run: DemoRun): string[] {
  return readdirSync(run.tmp).filter((name) => name.startsWith('lenses-e2e-'));
}

/** True while any process of the group started for `run` is alive. */
function groupAlive(run: DemoRun): boolean {
  try {
    process.kill(-(run.npm.pid ?? 0), 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the demo printed its URL, with both folders made. */
async function untilRunning(run: DemoRun): Promise<void> {
  await waitUntil(
    async () => run.output(),
    (text) => /Lenses MCP demo is running/.test(text),
    { timeoutMs: 90_000 },
  ).catch(() => assert.fail(`the demo did not start:\n${run.output()}`));
  assert.deepEqual(
    demoFolders(run)
      .map((name) => name.replace(/-[^-]+$/, ''))
      .sort(),
    ['lenses-e2e-cs', 'lenses-e2e-ws'],
  );
}

/** Nothing of the demo is left: no folder in its TMPDIR (its processes may take a moment to go). */
async function assertNothingLeft(run: DemoRun): Promise<void> {
  await waitUntil(
    async () => ({ folders: demoFolders(run), alive: groupAlive(run) }),
    (left) => left.folders.length === 0 && !left.alive,
    { timeoutMs: 20_000 },
  ).catch(() => undefined);
  assert.deepEqual(demoFolders(run), [], `folders left in ${run.tmp}\n${run.output()}`);
}

describe('npm run demo cleans up after itself (issue 23)', function () {
  this.timeout(180_000);
  const runs: DemoRun[] = [];
  const demo = (args: string[]) => {
    const run = startDemo(['--no-package', '--port', '0', '--hq-port', '0', ...args]);
    runs.push(run);
    return run;
  };

  after(() => {
    for (const run of runs) {
      if (groupAlive(run)) process.kill(-(run.npm.pid ?? 0), 'SIGKILL');
      rmSync(run.tmp, { recursive: true, force: true });
    }
  });

  before(() => {
    projectVsix(); // throws "run `npm run package` first" when there is no VSIX
  });

  it('Ctrl+C (SIGINT to the whole process group) removes every folder it made', async () => {
    const run = demo([]);
    await untilRunning(run);
    process.kill(-(run.npm.pid ?? 0), 'SIGINT');
    await run.exited;
    await assertNothingLeft(run);
    assert.match(run.output(), /Stopping the demo/);
  });

  it('SIGTERM to npm alone (its shell dies, the demo is orphaned) still stops the demo and removes its folders', async () => {
    const run = demo([]);
    await untilRunning(run);
    run.npm.kill('SIGTERM');
    await run.exited;
    await assertNothingLeft(run);
    assert.equal(groupAlive(run), false, 'no demo process runs on');
  });

  it('a start that fails after its folders were made (a file that is no VSIX) removes them too', async () => {
    const notVsix = path.join(mkdtempSync(path.join(os.tmpdir(), 'lenses-demo-test-vsix-')), 'broken.vsix');
    writeFileSync(notVsix, 'not a zip');
    try {
      const run = demo(['--vsix', notVsix]);
      const code = await run.exited;
      assert.notEqual(code, 0, run.output());
      await assertNothingLeft(run);
    } finally {
      rmSync(path.dirname(notVsix), { recursive: true, force: true });
    }
  });

  it('says the stdio configuration copied during the demo does not outlive it', async () => {
    const run = demo([]);
    await untilRunning(run);
    assert.match(run.output(), /points at a copy of the server inside this demo's\s+temporary VS Code profile, removed when the demo stops/);
    process.kill(-(run.npm.pid ?? 0), 'SIGINT');
    await run.exited;
    await assertNothingLeft(run);
  });
});
