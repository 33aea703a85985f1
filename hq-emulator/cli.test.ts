import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseDemoArguments } from '../scripts/demo';
import { parseArguments } from './main';

const ROOT = join(__dirname, '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run hq` the way it is defined (tsx hq-emulator/main.ts), without npm's own output. */
function hq(args: string[], onStdout?: (text: string, stop: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'hq-emulator/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('HQ emulator: the npm run hq process', () => {
  for (const args of [['--bogus'], ['--port', 'abc'], ['--token-ttl'], ['--port', '70000'], ['--lenses-version', '5.5']]) {
    it(`exits 2 with one line on stderr for ${args.join(' ')}`, async () => {
      const run = await hq(args);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      const lines = run.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], /^lenses-hq: .*usage: npm run hq/);
    });
  }

  it('prints the URL, the users and the API key, serves, and closes cleanly on SIGTERM', async () => {
    let served: Promise<number> | undefined;
    const run = await hq(['--port', '0', '--api-key', 'cli-test-key', '--token-ttl', '120'], (stdout, stop) => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (!url || served || !stdout.includes('state:')) return;
      served = fetch(`${url}/.well-known/oauth-authorization-server`)
        .then((response) => response.status)
        .finally(stop);
    });
    assert.equal(await served, 200);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /admin\/admin, alice\/alice/);
    assert.match(run.stdout, /API key:\s+cli-test-key/);
    assert.match(run.stdout, /access tokens 120 s/);
    assert.doesNotMatch(run.stderr, /Unsupported runtime/);
  });

  it('--lenses-version 6.2 serves the connected-applications list in 6.2 shape and says so; the default is the newest', async () => {
    assert.equal(parseArguments(['--lenses-version', '6.2']).lensesVersion, '6.2');
    assert.equal(parseArguments([]).lensesVersion, undefined, 'left to startHq, whose default is the newest');
    let said = '';
    const run = await hq(['--port', '0', '--lenses-version', '6.2'], (stdout, stop) => {
      if (!stdout.includes('state:')) return;
      said = stdout;
      stop();
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(said, /answers as Lenses 6\.2 publishes them/);
  });

  it('npm run demo takes the same --lenses-version flag and refuses an unknown version', () => {
    assert.equal(parseDemoArguments(['--lenses-version', '6.2']).lensesVersion, '6.2');
    assert.equal(parseDemoArguments([]).lensesVersion, undefined);
    assert.throws(() => parseDemoArguments(['--lenses-version', '7.0']), /--lenses-version must be one of 6\.2, 6\.3/);
  });
});
