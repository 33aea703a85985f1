/**
 * `npm run bench`, "stdio start" section: how long a stdio client (Claude Desktop, Claude Code,
 * Cursor spawn the server for each conversation) waits from spawning the standalone server until
 * its `tools/list` is answered, against a bare MCP SDK v2 server with the same 45 tools
 * (`bench/bareStdioServer.ts`). Both are bundled here with the bin's esbuild options and started
 * in alternating runs; the medians and their ratio are printed beside the target (≤ 1.2).
 * Usage: tsx bench/stdioStart.ts [--runs N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { commonOptions } from '../scripts/esbuild/options.mjs';
import { startHq } from '../hq-emulator/testing';
import { WARM_UP_AFTER_MS } from '../src/mcp/standalone/warmUp';

const TARGET_RATIO = 1.2;
/** How long after tools/list the later first call is sent: a user typing the first prompt takes longer. */
const CALL_PAUSE_MS = 1000;
const ROOT = path.resolve(__dirname, '..');

function runsArgument(args: readonly string[]): number {
  const at = args.indexOf('--runs');
  const runs = at >= 0 ? Number(args[at + 1]) : 16;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of at least 1');
  return runs;
}

/** Bundles one entry point as esbuild.mjs bundles the bin (production: minified, no map). */
async function bundle(entry: string, outfile: string): Promise<void> {
  await esbuild.build({ ...commonOptions, entryPoints: [path.join(ROOT, entry)], outfile, minify: true, logLevel: 'silent' });
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench-stdio-start', version: '1' } },
};
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };
const LIST_TOOLS = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
const callEnvironments = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_environments', arguments: {} } });

interface StartTimes {
  /** Spawn → tools/list answered. */
  ms: number;
  tools: number;
  /** With `calls`: the first tools/call (sent `calls.pauseMs` after tools/list), and the same call again (ms each). */
  firstCallMs?: number;
  secondCallMs?: number;
}

/**
 * Spawns `file` with `env`, speaks the 2025 handshake, and returns the ms until tools/list is
 * answered; with `calls`, then times list_environments twice, the first `pauseMs` after tools/list.
 */
function timeToToolList(file: string, env: NodeJS.ProcessEnv, calls?: { pauseMs: number }): Promise<StartTimes> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let times: StartTimes | undefined;
    let callSent = 0;
    const child = spawn(process.execPath, [file], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(file)} did not answer tools/list within 30 s`));
    }, 30_000);
    child.on('error', reject);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const message = JSON.parse(line) as { id?: number; result?: { tools?: unknown[] } };
        if (message.id === 1) child.stdin.write(`${JSON.stringify(INITIALIZED)}\n${JSON.stringify(LIST_TOOLS)}\n`);
        if (message.id === 2) times = { ms: performance.now() - started, tools: message.result?.tools?.length ?? 0 };
        if (times && message.id === 3) times.firstCallMs = performance.now() - callSent;
        if (times && message.id === 4) times.secondCallMs = performance.now() - callSent;
        if (times && calls && message.id !== 4) {
          const id = message.id === 2 ? 3 : 4;
          setTimeout(
            () => {
              callSent = performance.now();
              child.stdin.write(`${JSON.stringify(callEnvironments(id))}\n`);
            },
            id === 3 ? calls.pauseMs : 0,
          );
        } else if (times) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve(times);
        }
      }
    });
    child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const runs = runsArgument(process.argv.slice(2));
  const dir = mkdtempSync(path.join(tmpdir(), 'lenses-bench-stdio-'));
  const hq = await startHq({ port: 0 });
  try {
    const ours = path.join(dir, 'lenses-mcp.js');
    const bare = path.join(dir, 'bare-sdk-v2.js');
    const bareOurTools = path.join(dir, 'bare-sdk-v2-our-tools.js');
    await Promise.all([
      bundle('src/mcp/standalone/bin.ts', ours),
      bundle('bench/bareStdioServer.ts', bare),
      bundle('bench/bareStdioServerOurTools.ts', bareOurTools),
    ]);
    const base = { PATH: process.env.PATH, HOME: process.env.HOME };
    const oursEnv = { ...base, LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey, TRANSPORT: 'stdio' };
    const bareEnv = { ...base, BARE_SERVER_TOOLS: path.join(ROOT, 'test/unit/mcp/official-tools.json') };
    // One warm-up each (disk cache), then turns taken so machine noise falls on both alike.
    await timeToToolList(ours, oursEnv);
    await timeToToolList(bare, bareEnv);
    await timeToToolList(bareOurTools, base);
    const oursMs: number[] = [];
    // The first call straight after tools/list (before the warm-up), and a second later (as after the user's first prompt).
    const firstCallMs: Record<number, number[]> = { 0: [], [CALL_PAUSE_MS]: [] };
    const secondCallMs: number[] = [];
    const bareMs: number[] = [];
    const bareOurToolsMs: number[] = [];
    let toolCounts = '';
    for (let run = 0; run < runs; run++) {
      // Every other start of ours also times its first two calls (their pause alternating); the others are timed as the bare ones are.
      const pauseMs = run % 4 === 1 ? 0 : CALL_PAUSE_MS;
      const a = await timeToToolList(ours, oursEnv, run % 2 === 1 ? { pauseMs } : undefined);
      if (a.firstCallMs !== undefined && a.secondCallMs !== undefined) {
        firstCallMs[pauseMs].push(a.firstCallMs);
        secondCallMs.push(a.secondCallMs);
      }
      const b = await timeToToolList(bare, bareEnv);
      const c = await timeToToolList(bareOurTools, base);
      oursMs.push(a.ms);
      bareMs.push(b.ms);
      bareOurToolsMs.push(c.ms);
      toolCounts = `${a.tools} / ${b.tools}`;
    }
    const ratio = median(oursMs) / median(bareMs);
    console.log(`\n## Standalone server start over stdio (spawn → tools/list answered), ${runs} alternating runs each\n`);
    console.log('| Server | tools | min ms | median ms |');
    console.log('|---|---:|---:|---:|');
    console.log(`| lenses-mcp (API key) | ${toolCounts.split(' / ')[0]} | ${Math.min(...oursMs).toFixed(0)} | ${median(oursMs).toFixed(0)} |`);
    console.log(`| bare SDK v2, same tools | ${toolCounts.split(' / ')[1]} | ${Math.min(...bareMs).toFixed(0)} | ${median(bareMs).toFixed(0)} |`);
    console.log(`| bare SDK v2, our 45 tool definitions | 45 | ${Math.min(...bareOurToolsMs).toFixed(0)} | ${median(bareOurToolsMs).toFixed(0)} |`);
    console.log(`\nlenses-mcp / bare = **${ratio.toFixed(2)}** (target ≤ ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`);
    if (secondCallMs.length > 0) {
      const medianOf = (values: number[]) => (values.length > 0 ? `${median(values).toFixed(0)} ms` : 'not timed (use more --runs)');
      console.log(
        `first tools/call (list_environments): straight after tools/list ${medianOf(firstCallMs[0])}, ${CALL_PAUSE_MS / 1000} s after it ${medianOf(firstCallMs[CALL_PAUSE_MS])} (the tools and fetch load in the background ${WARM_UP_AFTER_MS} ms after the start, or on the first call before then); the same call again ${medianOf(secondCallMs)}`,
      );
    }
    console.log(
      `lenses-mcp / bare with our tool definitions = ${(median(oursMs) / median(bareOurToolsMs)).toFixed(2)}; bare with ours / bare = ${(median(bareOurToolsMs) / median(bareMs)).toFixed(2)} (what building our tools' schemas costs)`,
    );
  } finally {
    await hq.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
