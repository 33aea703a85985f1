import assert from 'node:assert/strict';
import { body, startTestApi, type TestApi } from './testServer';

interface Approval {
  id: string;
  entityName: string;
  approvalStatus: string;
  createdBy: string;
  settings: { partitions: number; replication: number; topicConfig?: Record<string, string> };
  metadata: { reason: string; tags: string[] };
}
interface Page {
  values: Approval[];
  pagesAmount: number;
  totalCount: number;
}

const REQUEST = {
  type: 'CreateNewEntity',
  entityName: 'topic-invoices',
  entityType: 'KafkaTopic',
  settings: {
    replication: 2,
    partitions: 5,
    topicConfig: { 'delete.retention.ms': '30000' },
    capacity: { recordsSize: 15, dataProducedPerDay: null, consumers: null },
  },
  metadata: { reason: 'Invoice records from billing app Foo', tags: ['billing', 'invoices'] },
};

describe('Lenses API emulator: approval requests', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  const list = async (query: string) => body<Page>(await hq.agent('GET', `/api/v1/approvals${query}`, { token: 'r' }));

  it('lists requests newest first, filtered by status and entity name', async () => {
    const all = await list('?page=1&pageSize=25');
    assert.deepEqual(
      all.values.map((a) => a.entityName),
      ['invoices', 'shipments', 'tmp-test'],
    );
    assert.equal(all.totalCount, 3);
    assert.deepEqual(
      (await list('?pageSize=25&approvalStatus=Pending&approvalStatus=Rejected')).values.map((a) => a.approvalStatus),
      ['Pending', 'Rejected'],
    );
    assert.deepEqual(
      (await list('?pageSize=25&entityName=SHIP')).values.map((a) => a.entityName),
      ['shipments'],
    );
    assert.deepEqual(
      (await list('?pageSize=1&page=2&sortField=entityName&sortOrder=asc')).values.map((a) => a.entityName),
      ['shipments'],
    );
  });

  it('refuses a list without pageSize or with a bad status or sort field', async () => {
    const response = await hq.agent('GET', '/api/v1/approvals?approvalStatus=pending&sortField=reviewedAt', { token: 'r' });
    assert.equal(response.status, 400);
    assert.deepEqual(
      body<{ fields: Array<{ field: string }> }>(response).fields.map((f) => f.field),
      ['pageSize', 'approvalStatus', 'sortField'],
    );
  });

  it('creates a Pending request that can then be read and listed', async () => {
    const response = await hq.agent('POST', '/api/v1/approvals', { token: 'rw', body: REQUEST });
    assert.equal(response.status, 201);
    const { id } = body<{ id: string }>(response);
    const approval = body<Approval>(await hq.agent('GET', `/api/v1/approvals/${id}`, { token: 'r' }));
    assert.equal(approval.approvalStatus, 'Pending');
    assert.equal(approval.createdBy, 'user-rw@example.com');
    assert.deepEqual(approval.settings.topicConfig, { 'delete.retention.ms': '30000' });
    assert.deepEqual(approval.metadata, REQUEST.metadata);
    assert.equal((await list('?pageSize=25&approvalStatus=Pending')).totalCount, 2);
    assert.equal((await hq.agent('POST', '/api/v1/approvals', { token: 'rw', body: REQUEST })).status, 409, 'one Pending request per topic');
    assert.equal(hq.changes, 1);
  });

  it('refuses a request for an existing topic, without the discriminator, or without a reason', async () => {
    const exists = await hq.agent('POST', '/api/v1/approvals', { token: 'rw', body: { ...REQUEST, entityName: 'orders' } });
    assert.equal(exists.status, 400);
    assert.match(String(body<{ error: string }>(exists).error), /Topic orders already exists/);
    const { type: _type, ...untyped } = REQUEST;
    const noType = await hq.agent('POST', '/api/v1/approvals', { token: 'rw', body: { ...untyped, metadata: { tags: [] } } });
    assert.deepEqual(
      body<{ fields: Array<{ field: string }> }>(noType).fields.map((f) => f.field),
      ['type', 'metadata.reason'],
    );
  });

  it('answers 400 for an id that is not a UUID and 404 for an unknown one', async () => {
    assert.equal((await hq.agent('GET', '/api/v1/approvals/not-a-uuid', { token: 'r' })).status, 400);
    assert.equal((await hq.agent('GET', '/api/v1/approvals/00000000-0000-4000-8000-000000000000', { token: 'r' })).status, 404);
  });
});
