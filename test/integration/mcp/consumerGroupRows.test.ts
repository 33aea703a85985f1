import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { SCALED_ENVIRONMENT } from '../../../hq-emulator/api/scale';
import type { RunningHq } from '../../../hq-emulator/testing';
import { startApiKeyMcp, type ApiKeyMcp } from './harness';

interface Page {
  total: number;
  items: Array<Record<string, unknown>>;
  next_offset: number | null;
  note?: string;
}

/**
 * list_consumer_groups answers one compact row per group (id, state, consumersCount, topics,
 * minLag, maxLag) so a default answer on a large cluster holds many groups; `detail: true` gives
 * Lenses' groups in full, as the official tool does. Emulator at --scale 2000 (500 groups).
 */
describe('list_consumer_groups: compact rows by default, groups in full with detail', function () {
  this.timeout(60_000);
  const env = SCALED_ENVIRONMENT;
  let running: ApiKeyMcp | undefined;
  let hq: RunningHq;
  let client: Client;

  before(async () => {
    running = await startApiKeyMcp({ scale: 2_000 });
    ({ hq, client } = running);
  });
  after(async () => {
    await running?.close();
  });

  async function page(args: Record<string, unknown>): Promise<Page> {
    const result = await client.callTool({ name: 'list_consumer_groups', arguments: { environment: env, ...args } });
    assert.notEqual(result.isError, true);
    return result.structuredContent as Page;
  }
  async function hqGroups(): Promise<Array<Record<string, unknown>>> {
    const response = await fetch(`${hq.url}/api/v1/environments/${env}/proxy/api/consumers`, { headers: { Authorization: `Bearer ${hq.apiKey}` } });
    return (await response.json()) as Array<Record<string, unknown>>;
  }

  it("rows are Lenses' own values for id, state, consumersCount, topics, minLag and maxLag", async () => {
    const byId = new Map((await hqGroups()).map((group) => [group.id, group]));
    const { items } = await page({});
    for (const row of items) {
      assert.deepEqual(Object.keys(row).sort(), ['consumersCount', 'id', 'maxLag', 'minLag', 'state', 'topics']);
      const group = byId.get(row.id);
      assert.ok(group, String(row.id));
      assert.deepEqual(row, {
        id: group.id,
        state: group.state,
        consumersCount: group.consumersCount,
        topics: group.topics,
        minLag: group.minLag,
        maxLag: group.maxLag,
      });
    }
  });

  it('a default answer holds ten times the groups of a detailed one, and points at detail', async () => {
    const compact = await page({});
    const full = await page({ detail: true });
    assert.equal(compact.total, 500);
    assert.ok(compact.items.length >= 10 * full.items.length, `${compact.items.length} compact rows, ${full.items.length} detailed`);
    assert.match(compact.note ?? '', /detail: true/);
    assert.ok(Array.isArray(full.items[0].offsets), 'detail carries the per-partition offsets');
  });

  it('detail with filter finds one group in full, exactly as Lenses answers it', async () => {
    const wanted = (await hqGroups())[7];
    const { items } = await page({ detail: true, filter: String(wanted.id) });
    assert.deepEqual(items, [wanted]);
  });
});
