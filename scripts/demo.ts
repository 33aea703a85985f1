/**
 * `npm run demo -- [flags]`: the extension in a real VS Code in your browser, against the
 * Lenses HQ emulator with its sample data. Packages the VSIX, makes sure code-server and
 * Node 24 are installed, starts the emulator and code-server on loopback, prints the URL
 * to open and the logins, and stops everything on Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../src/log';
import { e2eToolPaths, ensureE2eTools, makeWorkspace, projectVsix, repoRoot, startCodeServer, type RunningCodeServer } from '../test/e2e/harness';
import { startHq, type RunningHq } from '../hq-emulator/testing';
import { USERS } from '../hq-emulator/oauth/users';
import { MAX_SCALE } from '../hq-emulator/api/scale';
import { LENSES_VERSIONS, type LensesVersion } from '../src/lenses/contract';
import { CommandLineFlags } from '../test/support/commandLineFlags';

const USAGE = `usage: npm run demo -- [flags]

  --port PORT      code-server's port on 127.0.0.1 (default 8080; 0 = any free port)
  --hq-port PORT   the Lenses HQ emulator's port (default 9991; 0 = any free port)
  --host HOST      the address the emulator listens on (default 127.0.0.1)
  --scale N        also seed a "prod" environment of N topics (as \`npm run hq -- --scale N\`)
  --lenses-version 6.2|6.3  answer as that Lenses version publishes its API (default the newest)
  --no-package     reuse the VSIX from the last \`npm run package\` instead of building it
  --vsix FILE      install this VSIX (implies --no-package)
  --verbose        show the emulator's log
  -h, --help       show this help`;

/** What the demo was asked to do. */
export interface DemoOptions {
  port: number;
  hqPort: number;
  host: string;
  package: boolean;
  vsix?: string;
  /** Passed to the emulator: a `prod` environment of this many topics. */
  scale?: number;
  /** Passed to the emulator: which Lenses version's published answers it serves. */
  lensesVersion?: LensesVersion;
  verbose: boolean;
  help: boolean;
}

/** Parses the demo's flags; throws an Error whose message is the one line to print. */
export function parseDemoArguments(args: readonly string[]): DemoOptions {
  const options: DemoOptions = { port: 8080, hqPort: 9991, host: '127.0.0.1', package: true, verbose: false, help: false };
  const flags = new CommandLineFlags(args);
  while (flags.next()) {
    switch (flags.flag) {
      case '--port':
        options.port = flags.port();
        break;
      case '--hq-port':
        options.hqPort = flags.port();
        break;
      case '--host':
        options.host = flags.nonEmpty();
        break;
      case '--no-package':
        options.package = false;
        break;
      case '--vsix':
        options.vsix = path.resolve(flags.nonEmpty());
        options.package = false;
        break;
      case '--scale':
        options.scale = flags.wholeNumber(1, MAX_SCALE);
        break;
      case '--lenses-version':
        options.lensesVersion = flags.oneOf(LENSES_VERSIONS);
        break;
      case '--verbose':
        options.verbose = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw flags.unknown();
    }
  }
  return options;
}

/** A VSIX on disk and its size. */
export interface PackagedVsix {
  file: string;
  bytes: number;
}

/** Runs `npm run package` (esbuild --production, then vsce) and returns the VSIX it wrote; on failure, throws with the last lines of its output. */
export async function packageExtension(): Promise<PackagedVsix> {
  const output = await new Promise<string>((resolve, reject) => {
    let text = '';
    const child = spawn('npm', ['run', 'package'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => (text += chunk.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(text);
      else reject(new Error(`\`npm run package\` failed (${signal ?? `exit code ${code}`}):\n${lastLines(text, 20)}`));
    });
  });
  try {
    return vsixAt(projectVsix());
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${lastLines(output, 20)}`, { cause: error });
  }
}

/** The VSIX at `file` (or the one `npm run package` last wrote) with its size; throws if it is missing. */
export function vsixAt(file: string = projectVsix()): PackagedVsix {
  try {
    return { file, bytes: statSync(file).size };
  } catch {
    throw new Error(`${file} not found`);
  }
}

/** The last `count` non-empty lines of `text`, indented. */
export function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .slice(-count)
    .map((line) => `  | ${line}`)
    .join('\n');
}

/** "812 KiB" */
export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
}

/** Resolves true when something already listens on host:port (a port of 0 is never busy). */
export function portBusy(host: string, port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The README the demo workspace opens with: what to try. */
export function demoReadme(hqUrl: string): string {
  const logins = Object.keys(USERS)
    .map((name) => `\`${name}\` / \`${USERS[name]}\``)
    .join(' or ');
  return `# Lenses MCP demo

This VS Code runs the Lenses MCP extension against a Lenses HQ emulator at ${hqUrl}
(sample data: a \`dev\` environment with topics, consumer groups, connectors and SQL processors).

## Things to try

1. **Sign in.** Click the Lenses icon in the activity bar, then **Sign in to Lenses**.
   Log in as ${logins} and tick the scopes to grant.
2. **Ask Copilot.** In Copilot Chat (agent mode), ask:
   _list the topics in the dev environment_.
   The Lenses tools come from the extension's embedded MCP server (see **MCP: List Servers**).
3. **Open the Lenses view.** *Connected Applications* lists every app holding a grant on
   your account; revoke one from its context menu.
4. **Look behind the scenes.** **Lenses: Show Logs** shows what the extension did, with tokens redacted.

**Lenses: Copy MCP Configuration for Other Tools** (stdio) points at a copy of the server in
this demo's temporary VS Code profile, which is removed when the demo stops.
`;
}

function demoLogger(verbose: boolean): Logger {
  const write = (level: string) => (message: string | Error) => {
    process.stderr.write(`hq ${level}: ${message instanceof Error ? (message.stack ?? message.message) : message}\n`);
  };
  const skip = () => {};
  return {
    trace: skip,
    debug: skip,
    info: verbose ? write('info') : skip,
    warn: write('warn'),
    error: write('error'),
  };
}

/** An error the demo reports in one line and exits with `exitCode`. */
class DemoStop extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when code-server stops answering /healthz twice in a row (it crashed or was killed). */
async function waitUntilDown(server: RunningCodeServer, stopped: () => boolean): Promise<void> {
  let misses = 0;
  while (!stopped()) {
    await sleep(2000);
    try {
      const response = await fetch(`${server.origin}/healthz`, { signal: AbortSignal.timeout(3000) });
      misses = response.ok ? 0 : misses + 1;
    } catch {
      misses += 1;
    }
    if (misses >= 2) return;
  }
}

async function run(options: DemoOptions): Promise<number> {
  const steps = 4;
  const step = (index: number, text: string) => {
    process.stdout.write(`[${index}/${steps}] ${text}`);
    stepLineOpen = !text.endsWith('\n');
  };
  const done = (started: number, detail = '') => {
    process.stdout.write(`${stepLineOpen ? ' ' : '      '}done${detail ? `: ${detail}` : ''} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    stepLineOpen = false;
  };

  // Fail fast on busy ports, before the slow steps.
  if (await portBusy(options.host, options.hqPort)) {
    throw new DemoStop(`Port ${options.hqPort} on ${options.host} is busy (the emulator's port): stop what uses it or pass --hq-port.`, 2);
  }
  if (await portBusy('127.0.0.1', options.port)) {
    throw new DemoStop(`Port ${options.port} on 127.0.0.1 is busy (code-server's port): stop what uses it or pass --port (0 = any free port).`, 2);
  }

  let started = performance.now();
  let vsix: PackagedVsix;
  if (options.package) {
    step(1, 'Building and packaging the extension (npm run package)…');
    vsix = await packageExtension();
  } else {
    step(1, 'Reusing the packaged extension…');
    vsix = vsixAt(options.vsix);
  }
  done(started, `${path.relative(process.cwd(), vsix.file) || vsix.file}, ${kib(vsix.bytes)}`);

  started = performance.now();
  const tools = e2eToolPaths();
  if ([tools.node24, tools.codeServerEntry, tools.chromium].every((file) => existsSync(file))) {
    step(2, 'Checking code-server and Node 24…');
  } else {
    step(2, 'Installing code-server and Node 24 (first run only: about 600 MB, a few minutes)…\n');
  }
  ensureE2eTools();
  done(started, 'ready');

  started = performance.now();
  step(3, `Starting the Lenses HQ emulator on ${options.host}:${options.hqPort}…`);
  let hq: RunningHq;
  try {
    hq = await startHq({
      port: options.hqPort,
      host: options.host,
      scale: options.scale,
      lensesVersion: options.lensesVersion,
      logger: demoLogger(options.verbose),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DemoStop(`Port ${options.hqPort} on ${options.host} is busy (the emulator's port): stop what uses it or pass --hq-port.`, 2);
    }
    throw error;
  }
  stopHq = () => hq.close();
  done(started, hq.url);

  started = performance.now();
  step(4, `Starting VS Code (code-server) on 127.0.0.1:${options.port} with the extension…`);
  const workspace = makeWorkspace({ 'README.md': demoReadme(hq.url) });
  const insecureHost = !LOOPBACK.has(options.host);
  let server: RunningCodeServer;
  try {
    server = await startCodeServer({
      workspace,
      port: options.port,
      extensionVsixes: [vsix.file],
      probe: false,
      settings: {
        'lenses.url': hq.url,
        ...(insecureHost ? { 'lenses.allowInsecureHttp': true } : {}),
        'remote.autoForwardPorts': false,
        // Opens the workspace README (what to try) at start.
        'workbench.startupEditor': 'readme',
      },
      env: { VSCODE_PROXY_URI: '' },
    });
  } catch (error) {
    // Taken between the check above and code-server's start: say so in one line.
    if (options.port !== 0 && /EADDRINUSE/.test(error instanceof Error ? error.message : String(error))) {
      throw new DemoStop(`Port ${options.port} on 127.0.0.1 is busy (code-server's port): stop what uses it or pass --port (0 = any free port).`, 2);
    }
    throw error;
  }
  stopCodeServer = () => server.close();
  const url = server.url;
  done(started, new URL(url).origin);

  const logins = Object.keys(USERS).map((name) => `${name} / ${USERS[name]}`);
  process.stdout.write(
    [
      '',
      '  Lenses MCP demo is running.',
      '',
      `  Open in your browser:  ${url}`,
      `  Sign in to Lenses as:  ${logins.join('   or   ')}`,
      `  Lenses HQ (emulator):  ${hq.url}`,
      `  Emulator API key:      ${hq.apiKey}`,
      ...(insecureHost ? [`  Note: lenses.allowInsecureHttp is on because the emulator listens on ${options.host} over plain HTTP.`] : []),
      `  What to try:           the workspace's README.md (it opens at start).`,
      `  Note: "Copy MCP Configuration" (stdio) points at a copy of the server inside this demo's`,
      `  temporary VS Code profile, removed when the demo stops; for one that lasts, run`,
      `  \`npm run build\` and point the configuration at ${path.join(repoRoot, 'dist', 'lenses-mcp.js')}.`,
      '',
      '  Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  await waitUntilDown(server, () => stopping);
  if (stopping) return 0;
  process.stderr.write(`\ncode-server stopped unexpectedly. Its last output:\n${lastLines(server.output(), 25)}\n`);
  return 1;
}

let stopping = false;
/** True while a progress line waits for its "done". */
let stepLineOpen = false;
let stopHq: (() => Promise<void>) | undefined;
let stopCodeServer: (() => Promise<void>) | undefined;

/** Stops code-server (its whole process group) and the emulator; the harness removes the temp folders at exit. */
async function stopAll(): Promise<void> {
  await Promise.allSettled([stopCodeServer?.(), stopHq?.()]);
}

/**
 * `kill <pid of npm run demo>` ends npm and its shell, but not this process: the demo would
 * run on (code-server, its temporary folders) with no one to stop it. Its parent going away
 * is taken as SIGTERM.
 */
function stopWhenOrphaned(stop: () => void): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}

async function main(): Promise<void> {
  let options: DemoOptions;
  try {
    options = parseDemoArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Registered before the harness hooks its own, so this line prints first. Whichever
  // handler exits, the harness's exit hook kills code-server's group and removes temp dirs.
  const stopOn = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping the demo (code-server, the emulator) and removing its temporary folders…\n');
    const exitCode = signal === 'SIGINT' ? 130 : 143;
    const forced = setTimeout(() => process.exit(exitCode), 5000);
    void stopAll().finally(() => {
      clearTimeout(forced);
      process.exit(exitCode);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopOn(signal));
  stopWhenOrphaned(() => stopOn('SIGTERM'));
  let code: number;
  try {
    code = await run(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${stepLineOpen ? '\n' : ''}demo: ${message}\n`);
    code = error instanceof DemoStop ? error.exitCode : 1;
  }
  await stopAll();
  process.exit(code);
}

if (require.main === module) {
  void main();
}
