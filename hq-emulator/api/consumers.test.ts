import assert from 'node:assert/strict';
import { body, startTestApi, type TestApi } from './testServer';

interface Group {
  id: string;
  state: string;
  consumersCount: number;
  minLag: number;
  maxLag: number;
  topics: string[];
  offsets: Array<{ topic: string; partition: number; currentOffset: number; logEndOffset: number; lag: number }>;
}

describe('Lenses API emulator: consumer groups', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  const groups = async () => body<Group[]>(await hq.agent('GET', '/api/consumers', { token: 'r' }));
  const group = async (id: string) => (await groups()).find((candidate) => candidate.id === id);

  it('lists groups with members, state and lag', async () => {
    const archiver = await group('orders-archiver');
    assert.ok(archiver);
    assert.equal(archiver.state, 'Empty');
    assert.equal(
      archiver.offsets.reduce((sum, row) => sum + row.lag, 0),
      18,
    );
    assert.ok(archiver.maxLag >= archiver.minLag && archiver.maxLag > 0, "lenses-go's minLag/maxLag");
    assert.ok(!('totalLag' in archiver), 'no unpublished totalLag');
    assert.equal(archiver.offsets.length, 3);
    const billing = await group('billing-service');
    assert.equal(billing?.state, 'Stable');
    assert.equal(billing?.consumersCount, 2);
  });

  it('lists the groups reading one topic, 404 for an unknown topic', async () => {
    const readers = body<Group[]>(await hq.agent('GET', '/api/consumers/payments', { token: 'r' }));
    assert.deepEqual(
      readers.map((g) => g.id),
      ['fraud-detector'],
    );
    assert.equal((await hq.agent('GET', '/api/consumers/nope', { token: 'r' })).status, 404);
  });

  it('resets a group to the end and to the start of a topic', async () => {
    const toEnd = await hq.agent('PUT', '/api/consumers/orders-archiver/offsets', { token: 'rw', body: { type: 'end', topics: ['orders'] } });
    assert.equal(toEnd.status, 200);
    assert.equal((await group('orders-archiver'))?.maxLag, 0);
    await hq.agent('PUT', '/api/consumers/orders-archiver/offsets', { token: 'rw', body: { type: 'start', topics: ['orders'] } });
    const archiver = await group('orders-archiver');
    assert.equal(archiver?.offsets.find((o) => o.partition === 0)?.currentOffset, 5, 'start = the first offset retention kept');
    assert.equal(hq.changes, 2);
  });

  it('resets to a timestamp, and requires the timestamp', async () => {
    const response = await hq.agent('PUT', '/api/consumers/orders-archiver/offsets', {
      token: 'rw',
      body: { type: 'timestamp', topics: ['orders'], target: '2099-01-01T00:00:00Z' },
    });
    assert.equal(response.status, 200);
    assert.equal(body<Group>(response).maxLag, 0);
    const missing = await hq.agent('PUT', '/api/consumers/orders-archiver/offsets', { token: 'rw', body: { type: 'timestamp', topics: ['orders'] } });
    assert.equal(missing.status, 400);
    assert.deepEqual(
      body<{ fields: Array<{ field: string }> }>(missing).fields.map((f) => f.field),
      ['target'],
    );
  });

  it('refuses offset changes on a group with active members (409)', async () => {
    const response = await hq.agent('PUT', '/api/consumers/billing-service/offsets', { token: 'rw', body: { type: 'end', topics: ['orders'] } });
    assert.equal(response.status, 409);
    assert.match(String(body<{ error: string }>(response).error), /active member/);
  });

  it('sets one partition offset, refusing offsets outside the partition', async () => {
    const response = await hq.agent('PUT', '/api/consumers/orders-archiver/offsets/topics/orders/partitions/1', {
      token: 'rw',
      body: { type: 'absolute', offset: 0 },
    });
    assert.equal(response.status, 200);
    assert.equal(body<Group>(response).offsets.find((o) => o.partition === 1)?.currentOffset, 0);
    const beyond = await hq.agent('PUT', '/api/consumers/orders-archiver/offsets/topics/orders/partitions/1', {
      token: 'rw',
      body: { type: 'absolute', offset: 10_000 },
    });
    assert.equal(beyond.status, 400);
    assert.equal(
      (await hq.agent('PUT', '/api/consumers/orders-archiver/offsets/topics/orders/partitions/9', { token: 'rw', body: { offset: 0 } })).status,
      404,
    );
  });

  it('deletes the offsets of a topic and of one partition', async () => {
    const response = await hq.agent('POST', '/api/consumers/analytics-loader/offsets/delete', { token: 'rwd', body: { topics: ['customers'] } });
    assert.deepEqual(body<Group>(response).topics, ['orders']);
    const single = await hq.agent('DELETE', '/api/consumers/analytics-loader/topics/orders/partitions/0/offsets', { token: 'rwd' });
    assert.equal(single.status, 200);
    assert.ok(!body<Group>(single).offsets.some((o) => o.topic === 'orders' && o.partition === 0));
    assert.equal((await hq.agent('DELETE', '/api/consumers/analytics-loader/topics/orders/partitions/0/offsets', { token: 'rwd' })).status, 404);
  });

  it('deletes an empty group, which is then gone; an active one is refused', async () => {
    assert.equal((await hq.agent('DELETE', '/api/consumers/orders-archiver', { token: 'rwd' })).status, 204);
    assert.equal(await group('orders-archiver'), undefined);
    assert.equal((await hq.agent('DELETE', '/api/consumers/orders-archiver', { token: 'rwd' })).status, 404);
    assert.equal((await hq.agent('DELETE', '/api/consumers/fraud-detector', { token: 'rwd' })).status, 409);
  });
});
