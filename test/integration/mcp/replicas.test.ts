import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startHq, type RunningHq } from '../../../hq-emulator/testing';
import { resultJson } from './harness';
import { findBinary, freePorts, haproxySessionfulConfig, nginxSessionfulConfig, nginxStatelessConfig, startHaproxy, startNginx } from './loadBalancer';
import { startBin, type RunningBin } from './standaloneProcess';
import { waitUntil } from '../../support/waiting';

/** The operator's guide, which shows the balancer configurations these tests run. */
const GUIDE = readFileSync(join(__dirname, '../../../docs/STANDALONE.md'), 'utf8');
/** Each HQ call of a replica takes this long, so calls are in flight when a replica stops. */
const HQ_DELAY_MS = 250;

/** A slow path to the emulator for one replica: it knows how many of that replica's HQ calls are in flight. */
interface SlowHq {
  url: string;
  pending: number;
  /** Holds every answer (new and in flight) until `release`, so a test decides when calls end. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

async function slowHq(target: string): Promise<SlowHq> {
  const state = { pending: 0 };
  let held: Promise<void> | undefined;
  let release = () => {};
  const server: Server = createServer((incoming, outgoing) => {
    state.pending += 1;
    outgoing.once('close', () => (state.pending -= 1));
    const delayed = new Promise<void>((resolve) => setTimeout(resolve, HQ_DELAY_MS));
    void Promise.all([delayed, held]).then(() => {
      const upstream = httpRequest(new URL(incoming.url ?? '/', target), { method: incoming.method, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      upstream.on('error', () => outgoing.destroy());
      incoming.pipe(upstream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get pending() {
      return state.pending;
    },
    hold: () => {
      held ??= new Promise<void>((resolve) => (release = resolve));
    },
    release: () => {
      held = undefined;
      release();
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const CALL = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_environments', arguments: {} } });

/** One tool call through the balancer: true when it came back with the environments. */
async function callOnce(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: CALL,
    });
    const text = await response.text();
    return response.status === 200 && text.includes('"dev"') && !text.includes('"isError":true');
  } catch {
    return false;
  }
}

/** `workers` clients calling in a loop; a failed call is retried once, and both outcomes are counted. */
function startLoad(url: string, workers: number) {
  const stats = { ok: 0, failed: 0, retriedOk: 0, retriedFailed: 0, failedAt: [] as number[], inFlight: 0 };
  let running = true;
  let paused: Promise<void> | undefined;
  let resume = () => {};
  const call = async () => {
    stats.inFlight += 1;
    try {
      return await callOnce(url);
    } finally {
      stats.inFlight -= 1;
    }
  };
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      await paused;
      if (await call()) {
        stats.ok += 1;
        continue;
      }
      stats.failed += 1;
      stats.failedAt.push(Date.now());
      if (await call()) stats.retriedOk += 1;
      else stats.retriedFailed += 1;
    }
  });
  return {
    stats,
    /** No new call starts until `resume`; calls under way go on. */
    pause: () => {
      paused ??= new Promise<void>((resolve) => (resume = resolve));
    },
    resume: () => {
      paused = undefined;
      resume();
    },
    stop: async () => {
      running = false;
      resume();
      await Promise.all(loops);
    },
  };
}

describe('replicas behind a real load balancer (Debian nginx and HAProxy)', function () {
  this.timeout(60_000);
  const nginx = findBinary('nginx');
  const haproxy = findBinary('haproxy');
  let hq: RunningHq;
  /** Everything a test started, stopped in reverse order even when the test failed half-way. */
  let cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = <T>(thing: T, stop: (thing: T) => Promise<unknown>): T => {
    cleanups.push(() => stop(thing));
    return thing;
  };
  afterEach(async () => {
    for (const stop of cleanups.reverse()) await stop().catch(() => {});
    cleanups = [];
  });

  before(async function () {
    if (!nginx) {
      console.log('    (skipped: nginx is not installed; scripts/ensure-lb-tools.sh installs it)');
      this.skip();
    }
    hq = await startHq({ port: 0 });
  });
  after(() => hq?.close());

  it('stateless: three replicas under load; SIGTERM restarts one with no failed call; a kill fails only its in-flight calls and a retry succeeds', async () => {
    const ports = await freePorts(4);
    const replicaPorts = ports.slice(0, 3);
    const slow = await Promise.all(replicaPorts.map(async () => cleanup(await slowHq(hq.url), (proxy) => proxy.close())));
    const envFor = (index: number) => ({
      TRANSPORT: 'http',
      HOST: '127.0.0.1',
      PORT: String(replicaPorts[index]),
      LENSES_URL: slow[index].url,
      LENSES_API_KEY: hq.apiKey,
      MCP_STATELESS_HTTP: 'true',
      SHUTDOWN_GRACE_SECONDS: '10',
      LOG_LEVEL: 'debug',
    });
    const replicas: RunningBin[] = [];
    cleanups.push(() => Promise.all(replicas.map((replica) => replica.stop())));
    for (let index = 0; index < 3; index += 1) replicas.push(await startBin(envFor(index)));
    const block = nginxStatelessConfig(
      replicaPorts.map((port) => `127.0.0.1:${port}`),
      `127.0.0.1:${ports[3]}`,
    );
    assert.ok(
      GUIDE.includes(nginxStatelessConfig(['mcp-0.mcp:8000', 'mcp-1.mcp:8000', 'mcp-2.mcp:8000'], '80')),
      "the operator's guide shows the tested nginx configuration",
    );
    const balancer = cleanup(await startNginx(nginx ?? 'nginx', block, ports[3]), (running) => running.stop());
    const load = cleanup(startLoad(`${balancer.url}/mcp`, 6), (running) => running.stop());
    {
      await waitUntil(() => load.stats.ok >= 20, { what: 'calls through nginx', timeoutMs: 10_000 });

      // Rolling restart of replica 0 while it has calls in flight. Its HQ answers are held, so
      // the calls in flight now can only end after the drain began. New calls wait while the
      // listener closes: a connection still in the kernel's accept queue at that instant is
      // reset by any server, and nginx does not retry a POST it sent (docs/STANDALONE.md: preStop).
      slow[0].hold();
      await waitUntil(() => slow[0].pending > 0, { what: 'a call in flight at replica 0', timeoutMs: 10_000 });
      load.pause();
      await waitUntil(() => load.stats.inFlight === slow[0].pending, { what: 'only replica 0 calls in flight', timeoutMs: 10_000 });
      const inFlightAtSigterm = slow[0].pending;
      const stopped = replicas[0].stop('SIGTERM');
      await waitUntil(() => replicas[0].stderr().includes('Draining'), { what: 'replica 0 draining', timeoutMs: 10_000 });
      slow[0].release();
      assert.equal(await stopped, 0);
      load.resume();
      const drained = replicas[0].stderr().split('Draining')[1] ?? '';
      assert.ok(
        (drained.match(/Tool list_environments .* succeeded/g) ?? []).length >= inFlightAtSigterm,
        `in-flight calls answered while draining:\n${replicas[0].stderr()}`,
      );
      assert.doesNotMatch(replicas[0].stderr(), /still in flight/);
      replicas[0] = await startBin(envFor(0));
      const afterRestart = load.stats.ok;
      await waitUntil(() => load.stats.ok >= afterRestart + 30, { what: 'calls after the restart', timeoutMs: 10_000 });
      assert.deepEqual({ failed: load.stats.failed }, { failed: 0 }, `no call failed across the SIGTERM restart\n${balancer.log()}`);

      // Replica 1 dies at once: only its in-flight calls fail, and their retry succeeds.
      await waitUntil(() => slow[1].pending > 0, { what: 'calls in flight at replica 1', timeoutMs: 10_000 });
      const killedAt = Date.now();
      replicas[1].process.kill('SIGKILL');
      await replicas[1].stop();
      const afterKill = load.stats.ok;
      await waitUntil(() => load.stats.ok >= afterKill + 30, { what: 'calls after the kill', timeoutMs: 10_000 });
      await load.stop();
      // The calls replica 1 was running fail at the kill (at most one per client); later ones go elsewhere.
      assert.ok(load.stats.failed >= 1 && load.stats.failed <= 6, `failed ${load.stats.failed}`);
      for (const at of load.stats.failedAt) assert.ok(at >= killedAt && at - killedAt < 1000, `a call failed ${at - killedAt} ms after the kill`);
      assert.equal(load.stats.retriedFailed, 0, 'every retry succeeded');
      assert.equal(load.stats.retriedOk, load.stats.failed);
    }
  });

  for (const [name, balancerName] of [
    ['nginx routes each session to its replica by the MCP_REPLICA_ID prefix', 'nginx'],
    ['HAProxy routes each session to its replica with a stick table', 'haproxy'],
  ] as const) {
    it(`sessionful: ${name}`, async function () {
      const binary = balancerName === 'nginx' ? nginx : haproxy;
      if (!binary) {
        console.log(`    (skipped: ${balancerName} is not installed; scripts/ensure-lb-tools.sh installs it)`);
        this.skip();
      }
      const ports = await freePorts(4);
      const replicas: RunningBin[] = [];
      cleanups.push(() => Promise.all(replicas.map((replica) => replica.stop())));
      const addresses = ports.slice(0, 3).map((port, index) => ({ id: `r${index}`, address: `127.0.0.1:${port}` }));
      for (const [index, replica] of addresses.entries()) {
        replicas.push(
          await startBin({
            TRANSPORT: 'http',
            HOST: '127.0.0.1',
            PORT: String(ports[index]),
            LENSES_URL: hq.url,
            LENSES_API_KEY: hq.apiKey,
            MCP_REPLICA_ID: replica.id,
          }),
        );
      }
      const example = [0, 1, 2].map((index) => ({ id: `mcp-${index}`, address: `mcp-${index}.mcp:8000` }));
      const listen = `127.0.0.1:${ports[3]}`;
      const balancer = cleanup(
        balancerName === 'nginx'
          ? await startNginx(binary ?? 'nginx', nginxSessionfulConfig(addresses, listen), ports[3])
          : await startHaproxy(binary ?? 'haproxy', haproxySessionfulConfig(addresses, listen), ports[3]),
        (running) => running.stop(),
      );
      assert.ok(
        GUIDE.includes(balancerName === 'nginx' ? nginxSessionfulConfig(example, '80') : haproxySessionfulConfig(example, '*:80')),
        `the operator's guide shows the tested ${balancerName} configuration`,
      );
      const clients: Client[] = [];
      cleanups.push(() => Promise.all(clients.map((client) => client.close())));
      {
        for (let index = 0; index < 6; index += 1) {
          const client = new Client({ name: `lb-${index}`, version: '1' });
          const transport = new StreamableHTTPClientTransport(new URL(`${balancer.url}/mcp`));
          await client.connect(transport);
          clients.push(client);
          assert.match(transport.sessionId ?? '', /^r[0-2]\.[0-9a-f-]{36}$/);
        }
        for (const client of clients) {
          assert.equal((await client.listTools()).tools.length, 45);
          const environments = resultJson(await client.callTool({ name: 'list_environments', arguments: {} })) as unknown[];
          assert.ok(environments.length > 0);
        }
        // Six sessions round robin over three replicas: each replica holds some.
        for (const replica of replicas) assert.match(replica.stderr(), /MCP session r\d\.\S* opened/);
      }
    });
  }
});
