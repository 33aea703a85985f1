/**
 * `npx tsx bench/compareBuilds.ts <baseline lenses-mcp.js> [<current lenses-mcp.js>]`: the same
 * load as `npm run bench` (tools/call of list_topics, concurrency 16, streamable HTTP on loopback)
 * against two builds of the standalone server, each as its own process against one HQ emulator,
 * in API-key mode and in OAuth mode as shipped (every request introspected). The builds take
 * turns in rounds, so the ratios come from one run. Current defaults to dist/lenses-mcp.js
 * (`npm run build` first); a baseline is any other build, e.g. an older commit's
 * `git worktree add /tmp/old <rev> && cd /tmp/old && npm ci && node esbuild.mjs`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBin, type RunningBin } from '../test/integration/mcp/standaloneProcess';
import { obtainTokens, startHq } from '../hq-emulator/testing';
import { CALLS, CONCURRENCY, measureAll, type Result, type Target } from './driveCalls';

const ADVERTISED = 'http://127.0.0.1';

function binPath(argument: string | undefined, fallback?: string): string {
  const path = argument ?? fallback;
  if (!path) throw new Error('usage: npx tsx bench/compareBuilds.ts <baseline lenses-mcp.js> [<current lenses-mcp.js>]');
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new Error(`${absolute} does not exist${argument ? '' : ': run `npm run build` first'}`);
  return absolute;
}

async function main(): Promise<void> {
  const baseline = binPath(process.argv[2]);
  const current = binPath(process.argv[3], 'dist/lenses-mcp.js');
  const hq = await startHq({ port: 0 });
  const token = (await obtainTokens(hq, { scopes: ['read'], resource: `${ADVERTISED}/mcp` })).accessToken;
  const common = { LENSES_URL: hq.url, TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' };
  const apiKey = { ...common, LENSES_API_KEY: hq.apiKey };
  const oauth = { ...common, OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: ADVERTISED };
  const bins: RunningBin[] = [];
  const start = async (bin: string, env: Record<string, string>) => {
    const running = await startBin(env, bin);
    bins.push(running);
    return running.url;
  };
  let results: Result[];
  try {
    const [oldKey, newKey, oldOAuth, newOAuth] = await Promise.all([
      start(baseline, apiKey),
      start(current, apiKey),
      start(baseline, oauth),
      start(current, oauth),
    ]);
    const targets: Target[] = [
      { label: 'baseline, API key', url: oldKey },
      { label: 'current, API key', url: newKey },
      { label: 'current, API key, 2026-07-28', url: newKey, modern: true },
      { label: 'baseline, OAuth strict', url: oldOAuth, token },
      { label: 'current, OAuth strict', url: newOAuth, token },
      { label: 'current, OAuth strict, 2026-07-28', url: newOAuth, token, modern: true },
    ];
    results = await measureAll(targets);
  } finally {
    await Promise.all(bins.map((bin) => bin.stop()));
    await hq.close();
  }

  console.log(`${CALLS} tools/call of list_topics, concurrency ${CONCURRENCY}, two builds as processes (Node ${process.version})`);
  console.log(`baseline: ${baseline}\ncurrent:  ${current}\n`);
  console.log(`${'build, mode'.padEnd(36)} ${'calls/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}`);
  for (const r of results)
    console.log(`${r.label.padEnd(36)} ${r.callsPerSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)}`);
  const [oldKey, newKey, newKeyModern, oldOAuth, newOAuth, newOAuthModern] = results;
  const ratio = (r: Result, to: Result) => (r.callsPerSecond / to.callsPerSecond).toFixed(2);
  // p50 moves less than calls/s when other work shares the machine: both are printed.
  const latency = (r: Result, to: Result) => (r.p50 / to.p50).toFixed(2);
  console.log(`\ncalls/s current/baseline (target ≥ 0.95)   2025 handshake: API key ${ratio(newKey, oldKey)}   OAuth strict ${ratio(newOAuth, oldOAuth)}`);
  console.log(
    `                                          2026-07-28:     API key ${ratio(newKeyModern, oldKey)}   OAuth strict ${ratio(newOAuthModern, oldOAuth)}`,
  );
  console.log(`p50 current/baseline (target ≤ 1.05)       2025 handshake: API key ${latency(newKey, oldKey)}   OAuth strict ${latency(newOAuth, oldOAuth)}`);
  console.log(
    `                                          2026-07-28:     API key ${latency(newKeyModern, oldKey)}   OAuth strict ${latency(newOAuthModern, oldOAuth)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
