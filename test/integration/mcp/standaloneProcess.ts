import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import * as esbuild from 'esbuild';
import { commonOptions } from '../../../scripts/esbuild/options.mjs';
import { startHq, type RunningHq } from '../../../hq-emulator/testing';

const ROOT = resolve(__dirname, '../../..');
let built: Promise<string> | undefined;

/** Bundles src/mcp/standalone/bin.ts the way esbuild.mjs does (once per test process), into a temp folder. */
export function buildBin(): Promise<string> {
  built ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'lenses-mcp-bin-')), 'lenses-mcp.js');
    await esbuild.build({
      // esbuild.mjs's options (the validator and zod locales the shipped bundle carries), so the tests run what users get.
      ...commonOptions,
      entryPoints: [join(ROOT, 'src/mcp/standalone/bin.ts')],
      outfile,
      banner: { js: '#!/usr/bin/env node' },
      logLevel: 'silent',
    });
    return outfile;
  })();
  return built;
}

/**
 * Mocha hooks of a suite that runs the bundled bin against the emulator: bundles the bin and
 * starts HQ on port 0 before the suite, closes HQ after it. Returns the running HQ (inside tests).
 */
export function bundledBinAndHq(): () => RunningHq {
  let hq: RunningHq | undefined;
  before(async () => {
    await buildBin();
    hq = await startHq({ port: 0 });
  });
  after(() => hq?.close());
  return () => {
    if (!hq) throw new Error('The emulator is not running: use the returned function inside tests only.');
    return hq;
  };
}

/** An SDK client (`client`, else a default one) connected to the bundled bin over stdio (its stderr piped, not inherited); `env` on top of PATH. */
export async function connectStdioBin(env: Record<string, string>, client = new Client({ name: 'stdio-test', version: '1' })): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [await buildBin()],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  await client.connect(transport);
  return client;
}

export interface RunningBin {
  process: ChildProcess;
  /** http://127.0.0.1:PORT/mcp, read from the start-up log. */
  url: string;
  stderr(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the bundled bin until it logs the URL it listens on (HTTP transport). */
export async function startBin(env: Record<string, string>, binPath?: string): Promise<RunningBin> {
  const bin = binPath ?? (await buildBin());
  const child = spawn(process.execPath, [bin], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`lenses-mcp did not start: ${stderr}`)), 10_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lenses-mcp exited ${code}: ${stderr}`));
    });
  });
  return {
    process: child,
    url,
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the bundled bin to completion (for --help and start-up errors). */
export async function runBin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = await buildBin();
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}
