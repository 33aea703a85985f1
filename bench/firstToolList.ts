/**
 * `npm run bench`, extension section: the first `tools/list` the embedded server answers after
 * activation, in a fresh Node process over the packaged `dist/` (as the extension host runs it):
 * loading the server chunk (`dist/mcpServerChunk.js`, loaded on first use since activation no
 * longer loads it), starting the server on 127.0.0.1:0, and the 2025 handshake then tools/list
 * over streamable HTTP. "module already loaded" is the same start with the chunk loaded before
 * the clock starts: what the first tools/list cost when activation loaded the server.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** Runs in the child: prints `{"loadMs":…,"startMs":…,"listMs":…,"tools":…}`. */
const CHILD = `
const { performance } = require('node:perf_hooks');
const [chunkFile, preload] = process.argv.slice(1);
(async () => {
  if (preload === 'preload') require(chunkFile);
  const t0 = performance.now();
  const chunk = require(chunkFile);
  const loaded = performance.now();
  const granted = { kind: 'granted', token: 'bench', scopes: new Set(['read', 'write', 'delete']) };
  const server = await chunk.startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl: 'http://127.0.0.1:9', resumableStreams: false,
    authenticator: { authenticate: async () => granted } });
  const started = performance.now();
  const post = async (body, session) => {
    const response = await fetch(server.url, { method: 'POST', body: JSON.stringify(body), headers: {
      'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(session ? { 'mcp-session-id': session } : {}) } });
    const text = await response.text();
    const data = text.split('\\n').find((line) => line.startsWith('data: '));
    return { session: response.headers.get('mcp-session-id'), message: data ? JSON.parse(data.slice(6)) : text ? JSON.parse(text) : undefined };
  };
  const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, init.session);
  const list = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, init.session);
  const done = performance.now();
  process.stdout.write(JSON.stringify({ loadMs: loaded - t0, startMs: started - loaded, totalMs: done - t0, tools: list.message.result.tools.length }));
  await server.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

export interface FirstToolList {
  /** Loading the server chunk (0 when it was loaded before the clock started). */
  loadMs: number;
  startMs: number;
  /** Load + start + initialize + tools/list answered. */
  totalMs: number;
  tools: number;
}

export function firstToolList(distDirectory: string, preloaded: boolean): Promise<FirstToolList> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, path.join(distDirectory, 'mcpServerChunk.js'), preloaded ? 'preload' : 'cold'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`first tools/list measurement failed (${code}): ${err.trim()}`));
      else resolve(JSON.parse(out) as FirstToolList);
    });
  });
}
