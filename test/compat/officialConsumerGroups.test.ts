import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { startHq, type RunningHq } from '../../hq-emulator/testing';
import { connectClient, resultText } from '../integration/mcp/harness';
import { buildBin, startBin, type RunningBin } from '../integration/mcp/standaloneProcess';
import { startHqProxy, type HqProxy, type ProxiedRequest } from './compatHarness';

/**
 * Mirrors of the official server's tests/test_kafka_consumer_groups.py: the bulk-offset tools send
 * one JSON object (never a list of pairs), `target` only for a timestamp reset, checked before any
 * HQ call. Run through the bundled bin (API-key mode) against the emulator, behind a recording proxy.
 */

const GROUP = 'analytics-loader';

describe('compat: official tests/test_kafka_consumer_groups.py — request bodies of the bulk-offset tools', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let proxy: HqProxy;
  let bin: RunningBin;
  let client: Client;

  before(async () => {
    await buildBin();
    hq = await startHq({ port: 0 });
    proxy = await startHqProxy(hq.url);
    // No protected environment: these calls must reach HQ without a confirmation question.
    bin = await startBin({
      LENSES_URL: proxy.url,
      LENSES_API_KEY: hq.apiKey,
      LENSES_PROTECTED_ENVIRONMENTS: '',
      TRANSPORT: 'http',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    client = await connectClient(bin.url);
  });
  after(async () => {
    await client?.close();
    await bin?.stop();
    await proxy?.close();
    await hq?.close();
  });

  /** Calls `tool` and returns the requests it sent to HQ. */
  async function sent(tool: string, args: Record<string, unknown>): Promise<{ requests: ProxiedRequest[]; text: string; isError: boolean }> {
    const before = proxy.requests.length;
    const result = await client.callTool({ name: tool, arguments: args });
    return { requests: proxy.requests.slice(before), text: resultText(result), isError: result.isError === true };
  }

  const bodyOf = (request: ProxiedRequest | undefined): unknown => JSON.parse(request?.body ?? 'null');

  it('official test_update_offsets_reset_to_start_sends_object_body: reset_to "start" sends one PUT with {"type": "start", "topics": [...]}', async () => {
    const { requests, isError, text } = await sent('update_consumer_group_offsets', {
      environment: 'dev',
      group_id: GROUP,
      topics: ['orders', 'customers'],
      reset_to: 'start',
    });
    assert.equal(isError, false, text);
    assert.deepEqual(
      requests.map((request) => `${request.method} ${request.path}`),
      [`PUT /api/v1/environments/dev/proxy/api/consumers/${GROUP}/offsets`],
    );
    assert.deepEqual(bodyOf(requests[0]), { type: 'start', topics: ['orders', 'customers'] });
  });

  it('official test_update_offsets_reset_to_end_omits_target: reset_to "end" sends {"type": "end", "topics": [...]} with no target', async () => {
    const { requests } = await sent('update_consumer_group_offsets', { environment: 'dev', group_id: GROUP, topics: ['orders'], reset_to: 'end' });
    assert.deepEqual(bodyOf(requests[0]), { type: 'end', topics: ['orders'] });
  });

  it('official test_update_offsets_reset_to_timestamp_includes_target: reset_to "timestamp" sends the type, the topics and the RFC 3339 target', async () => {
    const { requests } = await sent('update_consumer_group_offsets', {
      environment: 'dev',
      group_id: GROUP,
      topics: ['orders'],
      reset_to: 'timestamp',
      target: '2026-04-28T10:00:00Z',
    });
    assert.deepEqual(bodyOf(requests[0]), { type: 'timestamp', topics: ['orders'], target: '2026-04-28T10:00:00Z' });
  });

  it('official test_update_offsets_timestamp_without_target_does_not_call_api: a timestamp reset without target is a tool error naming target, and HQ is not called', async () => {
    const { requests, isError, text } = await sent('update_consumer_group_offsets', {
      environment: 'dev',
      group_id: GROUP,
      topics: ['orders'],
      reset_to: 'timestamp',
    });
    assert.equal(isError, true);
    assert.match(text, /target/);
    assert.deepEqual(requests, []);
  });

  it('official test_update_offsets_url_encodes_path_segments: the environment and group name land where Lenses expects them', async () => {
    const { requests } = await sent('update_consumer_group_offsets', { environment: 'prod', group_id: 'my-group', topics: ['t'], reset_to: 'start' });
    assert.equal(requests[0]?.path, '/api/v1/environments/prod/proxy/api/consumers/my-group/offsets');
  });

  it('official test_delete_offsets_sends_topics_object_body: delete_consumer_group_offsets POSTs {"topics": [...]}, not a list of pairs', async () => {
    const { requests, isError, text } = await sent('delete_consumer_group_offsets', { environment: 'dev', group_id: GROUP, topics: ['orders', 'customers'] });
    assert.equal(isError, false, text);
    assert.deepEqual(
      requests.map((request) => `${request.method} ${request.path}`),
      [`POST /api/v1/environments/dev/proxy/api/consumers/${GROUP}/offsets/delete`],
    );
    assert.deepEqual(bodyOf(requests[0]), { topics: ['orders', 'customers'] });
  });

  it('official test_delete_offsets_single_topic: one topic is still a list under "topics"', async () => {
    const { requests } = await sent('delete_consumer_group_offsets', { environment: 'dev', group_id: 'orders-archiver', topics: ['orders'] });
    assert.deepEqual(bodyOf(requests[0]), { topics: ['orders'] });
  });
});
