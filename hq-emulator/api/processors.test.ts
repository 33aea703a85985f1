import assert from 'node:assert/strict';
import { body, startTestApi, type TestApi } from './testServer';

/** `HttpGetSqlProcessorApiResponse` as published. */
interface Processor {
  id: string;
  application: { name: string; sql: string; inputTopics: Array<{ name: string }>; outputTopics: Array<{ name: string }> };
  metadata: { createdBy: string; tags: string[] };
  deployment: {
    details: { mode: string; runners?: number; cluster?: string; namespace?: string };
    status: { level: string; replicas: Array<{ id: string; status: string }> };
  };
  coverage: string;
}
interface Invalid {
  fields: Array<{ field: string; error: string }>;
}

describe('Lenses API emulator: SQL processors, deployment targets, pod logs', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  const processors = async () => body<{ processors: Processor[] }>(await hq.agent('GET', '/api/v2/streams', { token: 'r' })).processors;

  it('lists and gets processors', async () => {
    assert.deepEqual(
      (await processors()).map((p) => [p.id, p.deployment.status.level]),
      [
        ['orders-enricher', 'RUNNING'],
        ['high-value-orders', 'FAILED'],
      ],
    );
    const enricher = body<Processor>(await hq.agent('GET', '/api/v2/streams/orders-enricher', { token: 'r' }));
    assert.deepEqual(
      enricher.application.inputTopics.map((t) => t.name),
      ['orders', 'customers'],
    );
    assert.equal(enricher.application.name, 'orders-enricher');
    assert.ok(!('name' in enricher) && !('status' in enricher), 'only the published keys');
    assert.equal((await hq.agent('GET', '/api/v2/streams/nope', { token: 'r' })).status, 404);
  });

  it('lists deployment targets and downloads pod logs', async () => {
    const targets = body<{ kubernetes: Array<{ cluster: string; namespaces: string[] }>; connect: unknown[] }>(
      await hq.agent('GET', '/api/v1/deployment/targets', { token: 'r' }),
    );
    assert.deepEqual(targets.kubernetes, [{ cluster: 'incluster', namespaces: ['lenses-apps', 'ai-agent'] }]);
    const logs = await hq.agent('GET', '/api/v1/k8s/logs/incluster/lenses-apps/high-value-orders-5c7b9d4f8-q8m2z/download', { token: 'r' });
    assert.match(String(logs.headers['content-type']), /^text\/plain/);
    assert.match(logs.text, /ERROR .*does not exist/);
    assert.equal((await hq.agent('GET', '/api/v1/k8s/logs/incluster/lenses-apps/nope/download', { token: 'r' })).status, 404);
  });

  it('creates an in-process processor (default deployment) that is then listed, with its output topic', async () => {
    const response = await hq.agent('POST', '/api/v2/streams', {
      token: 'rw',
      body: { name: 'eur-orders', sql: "INSERT INTO eur-orders SELECT STREAM * FROM orders WHERE currency = 'EUR';", tags: ['sales'] },
    });
    assert.equal(response.status, 201);
    const created = body<Processor>(response);
    assert.match(created.id, /^lsql_[0-9a-f]{8}$/);
    assert.equal(created.deployment.details.mode, 'IN_PROC');
    assert.equal(created.metadata.createdBy, 'user-rw@example.com');
    assert.ok((await processors()).some((p) => p.id === created.id));
    const topics = body<Array<{ topicName: string }>>(await hq.agent('GET', '/api/topics', { token: 'r' }));
    assert.ok(topics.some((t) => t.topicName === 'eur-orders'));
  });

  it('creates a Kubernetes processor with an id, whose pod logs can be read', async () => {
    const response = await hq.agent('POST', '/api/v2/streams', {
      token: 'rw',
      body: {
        name: 'big-payments',
        processorId: 'big-payments',
        sql: 'INSERT INTO big-payments SELECT STREAM * FROM payments WHERE amount > 300',
        deployment: { mode: 'KUBERNETES', runners: 2, cluster: 'incluster', namespace: 'ai-agent' },
      },
    });
    assert.equal(response.status, 201);
    const created = body<Processor>(response);
    const { mode, runners, cluster, namespace } = created.deployment.details;
    assert.deepEqual({ mode, runners, cluster, namespace }, { mode: 'KUBERNETES', runners: 2, cluster: 'incluster', namespace: 'ai-agent' });
    assert.equal(created.deployment.status.replicas.length, 2);
    const logs = await hq.agent('GET', `/api/v1/k8s/logs/incluster/ai-agent/${created.deployment.status.replicas[0].id}/download`, { token: 'r' });
    assert.match(logs.text, /big-payments starting/);
    assert.equal(
      (
        await hq.agent('POST', '/api/v2/streams', {
          token: 'rw',
          body: { name: 'again', processorId: 'big-payments', sql: 'INSERT INTO x SELECT STREAM * FROM payments' },
        })
      ).status,
      409,
    );
  });

  it('refuses a bad statement, an unknown input topic and an unknown deployment target', async () => {
    const notStreaming = await hq.agent('POST', '/api/v2/streams', { token: 'rw', body: { name: 'p1', sql: 'SELECT * FROM orders' } });
    assert.deepEqual(
      body<Invalid>(notStreaming).fields.map((f) => f.field),
      ['sql'],
    );
    const unknownTopic = await hq.agent('POST', '/api/v2/streams', { token: 'rw', body: { name: 'p1', sql: 'INSERT INTO out SELECT STREAM * FROM ghosts' } });
    assert.match(body<Invalid>(unknownTopic).fields[0].error, /ghosts/);
    const badTarget = await hq.agent('POST', '/api/v2/streams', {
      token: 'rw',
      body: {
        name: 'p1',
        sql: 'INSERT INTO out SELECT STREAM * FROM orders',
        deployment: { mode: 'KUBERNETES', details: { cluster: 'incluster', namespace: 'default' } },
      },
    });
    assert.deepEqual(
      body<Invalid>(badTarget).fields.map((f) => f.field),
      ['deployment.details.namespace'],
    );
    assert.equal(hq.changes, 0);
  });

  it('deletes a processor through the v1 route, which is then gone', async () => {
    assert.equal((await hq.agent('DELETE', '/api/v1/streams/high-value-orders', { token: 'rwd' })).status, 204);
    assert.ok(!(await processors()).some((p) => p.id === 'high-value-orders'));
    assert.equal((await hq.agent('DELETE', '/api/v1/streams/high-value-orders', { token: 'rwd' })).status, 404);
  });
});
