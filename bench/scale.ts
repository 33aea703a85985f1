/**
 * `npm run bench`, "scale" section: the HQ emulator at `--scale 10000` (10,001 topics, 2,500
 * consumer groups, 500 connectors, a 100,000-record topic) and the bundled `lenses-mcp` bin
 * as its own process (API-key mode, streamable HTTP), so its memory is measured alone.
 * Prints the emulator's start-up time, the characters a default list_topics returns beside
 * the size of the official (whole) answer, the p50 of list_topics through the server over the
 * p50 of the same raw HQ call, a filtered call, and execute_sql of 100,000 rows (server RSS
 * growth, time to the first progress with records).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { DEFAULT_MAX_TOOL_OUTPUT_CHARS } from '../src/mcp/tools/answer';
import { SCALED_ENVIRONMENT, scaledTopicName, WIDE_TOPIC } from '../hq-emulator/api/scale';
import { startHq } from '../hq-emulator/testing';
import { startBin } from '../test/integration/mcp/standaloneProcess';
import { startCountingProxy } from './countingProxy';

const SCALE = 10_000;
const ROUNDS = 5;
const CALLS_PER_ROUND = 8;
const WARMUP = 5;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Resident set size of process `pid` in MB (Linux /proc). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

const textOf = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

async function main(): Promise<void> {
  const startedAt = performance.now();
  const hq = await startHq({ port: 0, scale: SCALE });
  const startupSeconds = (performance.now() - startedAt) / 1000;
  // The bin reaches HQ through a counting proxy, so the page walk below can say what it cost HQ.
  const proxy = await startCountingProxy(hq.url);
  const bin = await startBin({ LENSES_URL: proxy.url, LENSES_API_KEY: hq.apiKey, TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0' });
  const pid = bin.process.pid ?? 0;
  const client = new Client({ name: 'bench-scale', version: '1' });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(bin.url), { requestInit: { headers: { Authorization: `Bearer ${hq.apiKey}` } } }));
    await client.listTools();
    const topicsRoute = `${hq.url}/api/v1/environments/${SCALED_ENVIRONMENT}/proxy/api/topics`;
    const rawCall = async () => {
      const t0 = performance.now();
      const text = await (await fetch(topicsRoute, { headers: { Authorization: `Bearer ${hq.apiKey}` } })).text();
      return { ms: performance.now() - t0, text };
    };
    const toolCall = async (args: Record<string, unknown>) => {
      const t0 = performance.now();
      const result = await client.callTool({ name: 'list_topics', arguments: { environment: SCALED_ENVIRONMENT, ...args } });
      if (result.isError) throw new Error(`list_topics failed: ${textOf(result)}`);
      return { ms: performance.now() - t0, text: textOf(result) };
    };
    const filter = scaledTopicName(4321);
    for (let i = 0; i < WARMUP; i++) await Promise.all([rawCall(), toolCall({}), toolCall({ filter })]);

    // Raw HQ, through the server, and filtered take turns so machine noise falls on all alike.
    const raw: number[] = [];
    const tool: number[] = [];
    const filtered: number[] = [];
    let defaultText = '';
    let filteredText = '';
    let rawText = '';
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        const r = await rawCall();
        raw.push(r.ms);
        rawText = r.text;
        const t = await toolCall({});
        tool.push(t.ms);
        defaultText = t.text;
        const f = await toolCall({ filter });
        filtered.push(f.ms);
        filteredText = f.text;
      }
    }
    const officialChars = JSON.stringify(JSON.parse(rawText), null, 2).length;

    // execute_sql over the 100,000-record topic: RSS sampled while it runs.
    const before = rssMb(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 10);
    let firstRecords: number | undefined;
    const sqlStarted = performance.now();
    const sql = await client.callTool(
      { name: 'execute_sql', arguments: { environment: SCALED_ENVIRONMENT, sql: `SELECT * FROM ${WIDE_TOPIC}` } },
      {
        onprogress: (p) => {
          if (p.progress > 0 && firstRecords === undefined) firstRecords = performance.now() - sqlStarted;
        },
        timeout: 120_000,
      },
    );
    const sqlMs = performance.now() - sqlStarted;
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(pid));
    const sqlText = textOf(sql);
    const sqlNote = (JSON.parse(sqlText) as { note?: string }).note ?? '(complete)';

    // Every page of list_topics, as an agent that follows next_offset walks it (its first page
    // asks HQ; the next ones reuse that answer).
    proxy.reset();
    const walkStarted = performance.now();
    let pages = 0;
    let topicsSeen = 0;
    for (let offset: number | null = 0; offset !== null; pages++) {
      const page = await client.callTool({ name: 'list_topics', arguments: { environment: SCALED_ENVIRONMENT, offset } });
      if (page.isError) throw new Error(`list_topics at offset ${offset} failed: ${textOf(page)}`);
      const structured = page.structuredContent as { items?: unknown[]; next_offset?: number | null } | undefined;
      topicsSeen += structured?.items?.length ?? 0;
      offset = structured?.next_offset ?? null;
    }
    const walkMs = performance.now() - walkStarted;
    const walk = proxy.count('/api/topics');

    const p50 = (values: number[]) => percentile(values, 50);
    const ratio = p50(tool) / p50(raw);
    const line = (label: string, value: string, target = '') => console.log(`${label.padEnd(52)} ${value.padStart(14)}  ${target}`);
    console.log(
      `\nscale: emulator at --scale ${SCALE} (10,001 topics, 2,500 consumer groups, 500 connectors, 100,000-record topic), lenses-mcp bin as its own process (Node ${process.version})\n`,
    );
    line('emulator start-up', `${startupSeconds.toFixed(2)} s`, '(target < 5 s)');
    line(
      'default list_topics: characters returned',
      defaultText.length.toLocaleString('en-US'),
      `(budget ${DEFAULT_MAX_TOOL_OUTPUT_CHARS.toLocaleString('en-US')}; full answer would be ${officialChars.toLocaleString('en-US')} characters)`,
    );
    line('  its last line', '', defaultText.slice(defaultText.lastIndexOf('\n') + 1));
    line('raw HQ GET /api/topics p50', `${p50(raw).toFixed(1)} ms`, `(${rawText.length.toLocaleString('en-US')} bytes)`);
    line('list_topics through the server p50', `${p50(tool).toFixed(1)} ms`);
    line('  server p50 / raw HQ p50', ratio.toFixed(2), '(target ≤ 1.5)');
    line(
      'filtered list_topics p50 (one topic by name)',
      `${p50(filtered).toFixed(1)} ms`,
      `(filter "${filter}": ${filteredText.length.toLocaleString('en-US')} characters)`,
    );
    line(
      'execute_sql of 100,000 rows: server RSS growth',
      `${(peak - before).toFixed(1)} MB`,
      `(target ≤ 50 MB; ${before.toFixed(0)} → ${peak.toFixed(0)} MB)`,
    );
    line('  first progress with records', firstRecords === undefined ? 'none' : `${firstRecords.toFixed(0)} ms`, '(target ≤ 1 s)');
    line('  whole call', `${sqlMs.toFixed(0)} ms`, `(${sqlText.length.toLocaleString('en-US')} characters: ${sqlNote})`);
    line('walk every page of list_topics', `${pages} calls`, `(${topicsSeen.toLocaleString('en-US')} topics in ${(walkMs / 1000).toFixed(1)} s)`);
    line('  HQ fetches of GET /api/topics', String(walk.requests), '(target ≤ 2)');
    line('  bytes read from HQ', `${(walk.bytes / 1e6).toFixed(1)} MB`);
  } finally {
    await client.close();
    await bin.stop();
    await proxy.close();
    await hq.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
