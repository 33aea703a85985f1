// Starts a throwaway code-server (VS Code for the browser, Node 24) for one test suite.
import { spawn, execFile } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { groupAlive, killGroup, onExit, removeDir } from './cleanup';
import { artifactsDir } from './artifacts';
import { ensureE2eTools } from './tools';
import { packageVsix, probeExtensionDir } from './vsix';

const runFile = promisify(execFile);

/** What to start code-server with. */
export interface CodeServerOptions {
  /** Folder opened as the workspace (created if missing). */
  workspace: string;
  /** User settings merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** VSIX files installed before start (`--install-extension --force`). */
  extensionVsixes?: string[];
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
  /** Install the probe extension (default true). */
  probe?: boolean;
  /** Extra code-server flags, e.g. ['--vscode-option', 'enable-smoke-test-driver']. */
  args?: string[];
  /** Milliseconds to wait for /healthz (default 60 s). */
  startTimeoutMs?: number;
  /** Port on 127.0.0.1 to listen on (default, or 0: a free port). */
  port?: number;
}

/** A running code-server. */
export interface RunningCodeServer {
  /** Workbench URL with the workspace folder open. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  workspace: string;
  userDataDir: string;
  /** code-server's TMPDIR (its extension hosts' IPC sockets), removed on close(). */
  tempDir: string;
  extensionsDir: string;
  /** Folder the probe extension reads requests from and writes results to. */
  probeDir: string;
  /** Everything code-server printed so far. */
  output(): string;
  /** Kills code-server's process group (extension hosts, MCP servers) and removes temp dirs. */
  close(): Promise<void>;
}

/** Settings every test user gets; the suite's own settings go over these. */
export const defaultSettings: Readonly<Record<string, unknown>> = {
  'remote.autoForwardPorts': false,
  'workbench.startupEditor': 'none',
  // Code 1.139 opens settings and the like in a modal editor that swallows F1.
  'workbench.editor.useModal': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
};

/** A free TCP port on 127.0.0.1 (released just before code-server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The environment code-server runs in: ours, minus anything that would tie it to another VS Code or loader. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'NODE_OPTIONS' || key.startsWith('ELECTRON_')) continue;
    env[key] = value;
  }
  // An empty proxy template stops code-server rewriting loopback URLs given to openExternal.
  return { ...env, VSCODE_PROXY_URI: '', ...extra };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let instances = 0;

/** Installs the given VSIXes (and the probe), starts code-server on a free loopback port and waits for /healthz. */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const tools = ensureE2eTools();
  const root = mkdtempSync(path.join(os.tmpdir(), 'lenses-e2e-cs-'));
  const unregisterDir = onExit(() => removeDir(root));
  const dirs = {
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    probe: path.join(root, 'probe'),
    config: path.join(root, 'xdg-config'),
    data: path.join(root, 'xdg-data'),
    cache: path.join(root, 'xdg-cache'),
    // VS Code's extension hosts put their IPC sockets (vscode-ipc-*.sock) in the temp folder and
    // leave them behind when killed: keep them in this one, removed with the rest.
    tmp: path.join(root, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(options.workspace, { recursive: true });
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...defaultSettings, ...options.settings }, null, 2));

  const env = childEnv({
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp,
    LENSES_E2E_PROBE_DIR: dirs.probe,
    ...options.env,
  });
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  const vsixes = [...(options.extensionVsixes ?? [])];
  if (options.probe !== false) vsixes.push(await packageVsix(probeExtensionDir));
  if (vsixes.length > 0) {
    const install = vsixes.flatMap((vsix) => ['--install-extension', vsix]);
    await runFile(tools.node24, [tools.codeServerEntry, ...common, ...install, '--force'], { env, timeout: 120_000 });
  }

  const port = options.port || (await freePort());
  const configFile = path.join(root, 'config.yaml');
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    tools.codeServerEntry,
    '--config',
    configFile,
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without this a closed page leaves its extension host (and MCP servers) running for minutes.
    '--reconnection-grace-time',
    '5',
    ...(options.args ?? []),
    options.workspace,
  ];
  const logDir = artifactsDir('logs');
  const logFile = path.join(logDir, `code-server-${process.pid}-${++instances}.log`);
  const log = createWriteStream(logFile);
  let output = '';
  const child = spawn(tools.node24, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  const unregisterKill = onExit(() => killGroup(pid, 'SIGKILL'));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 1_000_000) output = output.slice(-500_000);
    log.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = false;
  child.once('exit', () => (exited = true));

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    killGroup(pid, 'SIGTERM');
    await waitForGroupExit(pid, 3000);
    // Whatever ignored SIGTERM: kill it and wait until the kernel has taken it away.
    if (killGroup(pid, 'SIGKILL')) await waitForGroupExit(pid, 5000);
    unregisterKill();
    log.end();
    removeDir(root);
    unregisterDir();
  };

  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthz(origin, options.startTimeoutMs ?? 60_000, () => exited);
  } catch (error) {
    await close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`code-server did not come up: ${reason}\n--- output (${logFile}) ---\n${output.slice(-3000)}`, { cause: error });
  }
  return {
    url: `${origin}/?folder=${encodeURIComponent(options.workspace)}`,
    origin,
    port,
    workspace: options.workspace,
    userDataDir: dirs.userData,
    tempDir: dirs.tmp,
    extensionsDir: dirs.extensions,
    probeDir: dirs.probe,
    output: () => output,
    close,
  };
}

/** Resolves once no process of the group is left, or after `timeoutMs`. */
async function waitForGroupExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
}

async function waitForHealthz(origin: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the process exited');
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`no /healthz within ${timeoutMs} ms`);
}
