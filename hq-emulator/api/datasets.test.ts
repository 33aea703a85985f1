import assert from 'node:assert/strict';
import { body, startTestApi, type TestApi } from './testServer';

interface Dataset {
  name: string;
  connectionName: string;
  description: string | null;
  tags: Array<{ name: string }>;
  records: number;
  isSystemEntity: boolean;
}
interface DatasetPage {
  datasets: { values: Dataset[]; pagesAmount: number; totalCount: number };
  sourceTypes: string[];
}

describe('Lenses API emulator: datasets', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  const list = async (query = '') => body<DatasetPage>(await hq.agent('GET', `/api/v1/datasets${query}`, { token: 'r' }));

  it('lists datasets paginated, without system topics by default', async () => {
    const page = await list('?page=1&pageSize=2&sortOrder=asc&includeSystemEntities=False&searchFields=True');
    assert.equal(page.datasets.totalCount, 5);
    assert.equal(page.datasets.pagesAmount, 3);
    assert.deepEqual(
      page.datasets.values.map((d) => d.name),
      ['audit-log', 'customers'],
    );
    assert.deepEqual(page.sourceTypes, ['Kafka']);
    assert.equal((await list('?includeSystemEntities=true')).datasets.totalCount, 6);
  });

  it('filters by search (names, descriptions, fields), tags, records and compaction', async () => {
    assert.deepEqual(
      (await list('?search=gateway')).datasets.values.map((d) => d.name),
      ['payments'],
    );
    assert.deepEqual(
      (await list('?search=customerTier')).datasets.values.map((d) => d.name),
      ['orders-enriched'],
    );
    assert.equal((await list('?search=customerTier&searchFields=false')).datasets.totalCount, 0);
    assert.deepEqual(
      (await list('?tags=pii&sortField=name&sortOrder=desc')).datasets.values.map((d) => d.name),
      ['orders', 'customers'],
    );
    assert.deepEqual(
      (await list('?hasRecords=false')).datasets.values.map((d) => d.name),
      ['audit-log'],
    );
    assert.deepEqual(
      (await list('?isCompacted=true')).datasets.values.map((d) => d.name),
      ['customers'],
    );
    assert.equal((await hq.agent('GET', '/api/v1/datasets?hasRecords=maybe', { token: 'r' })).status, 400);
  });

  it('gets one dataset with its fields, 404 for an unknown connection or name', async () => {
    const dataset = body<Dataset & { fields: { value: Array<{ name: string; type: string }> } }>(
      await hq.agent('GET', '/api/v1/datasets/kafka/orders', { token: 'r' }),
    );
    assert.deepEqual(
      dataset.fields.value.find((f) => f.name === 'amount'),
      { name: 'amount', type: 'number' },
    );
    assert.equal((await hq.agent('GET', '/api/v1/datasets/postgres/orders', { token: 'r' })).status, 404);
    assert.equal((await hq.agent('GET', '/api/v1/datasets/kafka/nope', { token: 'r' })).status, 404);
  });

  it('returns message metrics per day', async () => {
    const metrics = body<Array<{ date: string; messages: number }>>(await hq.agent('GET', '/api/v1/datasets/kafka/customers/messages/metrics', { token: 'r' }));
    assert.deepEqual(metrics, [{ date: '2026-10-31', messages: 8 }]);
  });

  it('updates the description and the tags, which are then listed', async () => {
    assert.equal(
      (await hq.agent('PUT', '/api/v1/datasets/kafka/audit-log/description', { token: 'rw', body: { description: 'Who did what, when.' } })).status,
      200,
    );
    assert.equal(
      (await hq.agent('PUT', '/api/v1/datasets/kafka/audit-log/tags', { token: 'rw', body: { tags: [{ name: 'security' }, { name: 'compliance' }] } })).status,
      200,
    );
    const dataset = (await list('?search=audit')).datasets.values[0];
    assert.equal(dataset.description, 'Who did what, when.');
    assert.deepEqual(dataset.tags, [{ name: 'security' }, { name: 'compliance' }]);
    const metadata = body<{ description: string }>(await hq.agent('GET', '/api/metadata/topics/audit-log', { token: 'r' }));
    assert.equal(metadata.description, 'Who did what, when.');
    assert.equal(hq.changes, 2);
  });

  it('refuses tags that are not {name} objects and an unknown topic', async () => {
    const response = await hq.agent('PUT', '/api/v1/datasets/kafka/orders/tags', { token: 'rw', body: { tags: ['plain-string'] } });
    assert.equal(response.status, 400);
    assert.equal((await hq.agent('PUT', '/api/v1/datasets/kafka/nope/description', { token: 'rw', body: { description: 'x' } })).status, 404);
    assert.equal(hq.changes, 0);
  });
});
