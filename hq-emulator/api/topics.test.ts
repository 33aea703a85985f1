import assert from 'node:assert/strict';
import { body, startTestApi, type TestApi } from './testServer';

interface TopicSummary {
  topicName: string;
  partitions: number;
  replication: number;
  totalMessages: number;
  isCompacted: boolean;
  consumers: string[];
  keyType: string;
  valueType: string;
}
interface TopicDetail extends TopicSummary {
  configs: Array<{ name: string; value: string; isDefault: boolean }>;
  messagesPerPartition: Array<{ partition: number; begin: number; end: number }>;
}
interface Invalid {
  fields: Array<{ field: string; error: string }>;
}

describe('Lenses API emulator: topics', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  it('lists topics with partitions, messages and their consumer groups', async () => {
    const topics = body<TopicSummary[]>(await hq.agent('GET', '/api/topics', { token: 'r' }));
    const orders = topics.find((topic) => topic.topicName === 'orders');
    assert.ok(orders);
    assert.equal(orders.partitions, 3);
    assert.equal(orders.replication, 3);
    assert.ok(orders.totalMessages > 0);
    assert.ok(orders.consumers.includes('billing-service'));
    assert.equal(topics.find((topic) => topic.topicName === 'customers')?.isCompacted, true);
  });

  it('gets one topic with its configs, 404 for an unknown one', async () => {
    const orders = body<TopicDetail>(await hq.agent('GET', '/api/topics/orders', { token: 'r' }));
    assert.deepEqual(
      orders.configs.find((c) => c.name === 'min.insync.replicas'),
      { name: 'min.insync.replicas', value: '2', isDefault: false, defaultValue: '1' },
    );
    assert.equal(orders.messagesPerPartition[0].begin, 5);
    const missing = await hq.agent('GET', '/api/topics/nope', { token: 'r' });
    assert.equal(missing.status, 404);
    assert.match(String(body<{ error: string }>(missing).error), /nope/);
  });

  it('gets partitions (v2) and broker configs', async () => {
    const partitions = body<{
      topicName: string;
      partitions: Array<{ partition: number; leader: number; replicas: unknown[]; beginOffset: number; endOffset: number }>;
    }>(await hq.agent('GET', '/api/v2/topics/orders/partitions', { token: 'r' }));
    assert.equal(partitions.partitions.length, 3);
    assert.equal(partitions.partitions[0].replicas.length, 3);
    assert.ok(partitions.partitions[0].endOffset >= partitions.partitions[0].beginOffset);
    const configs = body<Array<{ name: string; source: string }>>(await hq.agent('GET', '/api/topics/orders/brokerConfigs', { token: 'r' }));
    assert.equal(configs.find((c) => c.name === 'retention.ms')?.source, 'DYNAMIC_TOPIC_CONFIG');
    assert.equal(configs.find((c) => c.name === 'segment.bytes')?.source, 'DEFAULT_CONFIG');
  });

  it('creates a topic that is then listed; a second creation is 409', async () => {
    const request = { topicName: 'invoices', partitions: 4, replication: 2, configs: { 'retention.ms': '86400000' } };
    const response = await hq.agent('POST', '/api/topics', { token: 'rw', body: request });
    assert.equal(response.status, 201);
    const detail = body<TopicDetail>(await hq.agent('GET', '/api/topics/invoices', { token: 'r' }));
    assert.equal(detail.partitions, 4);
    assert.equal(detail.configs.find((c) => c.name === 'retention.ms')?.value, '86400000');
    assert.equal((await hq.agent('POST', '/api/topics', { token: 'rw', body: request })).status, 409);
    assert.equal(hq.changes, 1);
  });

  it('refuses unknown configs and replication above the broker count', async () => {
    const response = await hq.agent('POST', '/api/topics', {
      token: 'rw',
      body: { topicName: 't1', replication: 4, configs: { 'retention.msec': '1', 'cleanup.policy': 'forever' } },
    });
    assert.equal(response.status, 400);
    const fields = body<Invalid>(response)
      .fields.map((f) => f.field)
      .sort();
    assert.deepEqual(fields, ['configs.cleanup.policy', 'configs.retention.msec', 'replication']);
  });

  it('creates a topic with formats and schemas; AVRO without a schema is refused', async () => {
    const refused = await hq.agent('POST', '/api/v1/kafka/topic', { token: 'rw', body: { name: 'avro-topic', format: { value: { format: 'AVRO' } } } });
    assert.equal(refused.status, 400);
    assert.deepEqual(
      body<Invalid>(refused).fields.map((f) => f.field),
      ['format.value.schema'],
    );
    const response = await hq.agent('POST', '/api/v1/kafka/topic', {
      token: 'rw',
      body: {
        name: 'avro-topic',
        partitions: 2,
        replication: 1,
        configs: {},
        format: { key: { format: 'string' }, value: { format: 'AVRO', schema: '{"type":"record","name":"A","fields":[]}' } },
      },
    });
    assert.equal(response.status, 201);
    const metadata = body<{ keyType: string; valueType: string; valueSchema: string }>(
      await hq.agent('GET', '/api/metadata/topics/avro-topic', { token: 'r' }),
    );
    assert.equal(metadata.keyType, 'STRING');
    assert.equal(metadata.valueType, 'AVRO');
    assert.match(metadata.valueSchema, /record/);
  });

  it('updates topic configs', async () => {
    const response = await hq.agent('PUT', '/api/configs/topics/payments', { token: 'rw', body: { configs: [{ key: 'retention.ms', value: '3600000' }] } });
    assert.equal(response.status, 200);
    const configs = body<Array<{ name: string; value: string }>>(await hq.agent('GET', '/api/topics/payments/brokerConfigs', { token: 'r' }));
    assert.equal(configs.find((c) => c.name === 'retention.ms')?.value, '3600000');
    const bad = await hq.agent('PUT', '/api/configs/topics/payments', { token: 'rw', body: { configs: [{ key: 'retention.ms', value: 'soon' }] } });
    assert.equal(bad.status, 400);
  });

  it('adds partitions, and refuses to shrink', async () => {
    const response = await hq.agent('PUT', '/api/v1/kafka/topics/payments/partitions', { token: 'rw', body: { partitions: 5 } });
    assert.deepEqual(body(response), { topicName: 'payments', partitions: 5 });
    const partitions = body<{ partitions: unknown[] }>(await hq.agent('GET', '/api/v2/topics/payments/partitions', { token: 'r' }));
    assert.equal(partitions.partitions.length, 5);
    assert.equal((await hq.agent('PUT', '/api/v1/kafka/topics/payments/partitions', { token: 'rw', body: { partitions: 2 } })).status, 400);
  });

  it('resends a message to the end of its partition', async () => {
    const before = body<TopicDetail>(await hq.agent('GET', '/api/topics/orders', { token: 'r' })).messagesPerPartition[0];
    const response = await hq.agent('PUT', `/api/topics/orders/0/${before.begin}/resend`, { token: 'rw' });
    assert.deepEqual(body(response), { topicName: 'orders', partition: 0, offset: before.end });
    assert.equal((await hq.agent('PUT', '/api/topics/orders/0/1/resend', { token: 'rw' })).status, 404, 'offset removed by retention');
    assert.equal((await hq.agent('PUT', '/api/topics/orders/zero/1/resend', { token: 'rw' })).status, 400);
  });

  it('lists and updates topic metadata (description and tags)', async () => {
    const all = body<Array<{ topicName: string }>>(await hq.agent('GET', '/api/metadata/topics', { token: 'r' }));
    assert.ok(all.some((m) => m.topicName === 'orders'));
    const update = {
      topicName: 'payments',
      keyType: 'STRING',
      valueType: 'JSON',
      description: 'Card payments',
      tags: [{ name: 'finance' }, { name: 'gateway' }],
    };
    assert.equal((await hq.agent('POST', '/api/v1/metadata/topics', { token: 'rw', body: update })).status, 200);
    const metadata = body<{ description: string; tags: Array<{ name: string }> }>(await hq.agent('GET', '/api/metadata/topics/payments', { token: 'r' }));
    assert.equal(metadata.description, 'Card payments');
    assert.deepEqual(metadata.tags, [{ name: 'finance' }, { name: 'gateway' }]);
    const missing = await hq.agent('POST', '/api/v1/metadata/topics', { token: 'rw', body: { topicName: 'payments', tags: ['finance'] } });
    assert.deepEqual(
      body<Invalid>(missing)
        .fields.map((f) => f.field)
        .sort(),
      ['keyType', 'tags[0]', 'valueType'],
    );
  });
});
