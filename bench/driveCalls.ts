/**
 * The load driver of the HTTP benchmarks: CONCURRENCY clients per target calling list_topics,
 * targets taking turns in rounds so machine noise and GC fall on all of them alike.
 */
import { performance } from 'node:perf_hooks';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { MODERN_PROTOCOL_VERSION } from '../src/mcp/server';

export const CALLS = 2000;
export const CONCURRENCY = 16;
export const WARMUP = 300;

export interface Result {
  label: string;
  callsPerSecond: number;
  p50: number;
  p99: number;
  introspectionsPerCall?: number;
}

/** CONCURRENCY clients connected to one server: one MCP session each (2025), or none (2026-07-28). */
async function connectClients(url: string, token: string | undefined, modern = false): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = new Client({ name: 'bench', version: '1' }, modern ? { versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } } : {});
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} } }));
      return client;
    }),
  );
}

/** Runs `calls` tools/call of list_topics spread over the clients, CONCURRENCY in flight. */
async function drive(clients: Client[], calls: number): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < calls) {
        next += 1;
        const t0 = performance.now();
        const result = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
        latencies.push(performance.now() - t0);
        if (result.isError) throw new Error(`list_topics failed: ${JSON.stringify(result.content)}`);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Target {
  label: string;
  url: string;
  token?: string;
  introspections?: () => number;
  /** Speak 2026-07-28 (no initialize, no session) instead of the 2025 handshake. */
  modern?: boolean;
}

/** Modes take turns in rounds of CALLS / ROUNDS so machine noise and GC fall on all of them alike. */
const ROUNDS = 4;

export async function measureAll(targets: Target[]): Promise<Result[]> {
  const clients = await Promise.all(targets.map((target) => connectClients(target.url, target.token, target.modern)));
  try {
    for (const group of clients) await drive(group, WARMUP);
    const totals = targets.map(() => ({ seconds: 0, latencies: [] as number[] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, group] of clients.entries()) {
        const { seconds, latencies } = await drive(group, CALLS / ROUNDS);
        totals[index].seconds += seconds;
        totals[index].latencies.push(...latencies);
      }
    }
    return targets.map((target, index) => {
      const sorted = totals[index].latencies.sort((a, b) => a - b);
      return {
        label: target.label,
        callsPerSecond: CALLS / totals[index].seconds,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        // Counted from each server's first request (session set-up and warm-up included).
        introspectionsPerCall: target.introspections ? target.introspections() / (WARMUP + CALLS) : undefined,
      };
    });
  } finally {
    await Promise.all(clients.flat().map((client) => client.close()));
  }
}
