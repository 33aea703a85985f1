import assert from 'node:assert/strict';
import { body, startTestApi, type TestApi } from './testServer';

/** `HttpConnectorListItem` as published. */
interface Connector {
  name: string;
  lrn: string;
  cluster: string;
  state: string;
  tasks: Array<{ id: number; state: string }>;
  className: string;
  type: string;
}

const S3 = 'io.lenses.streamreactor.connect.aws.s3.sink.S3SinkConnector';
const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

describe('Lenses API emulator: Kafka Connect', () => {
  let hq: TestApi;
  beforeEach(async () => (hq = await startTestApi()));
  afterEach(() => hq.close());

  const connectors = async (query = '') => body<{ data: Connector[] }>(await hq.agent('GET', `/api/kafka-connect/connectors${query}`, { token: 'r' })).data;
  const connector = async (name: string) => (await connectors()).find((candidate) => candidate.name === name);

  it('lists connectors with tasks, filtered by cluster and class', async () => {
    const all = await connectors();
    assert.equal(all.length, 3);
    const jdbc = all.find((c) => c.name === 'customers-jdbc-source');
    assert.equal(jdbc?.tasks[0].state, 'FAILED');
    assert.ok(!('configuration' in (jdbc ?? {})) && !('status' in (jdbc ?? {})), 'only the published keys');
    assert.deepEqual(
      (await connectors(`?className=${S3}`)).map((c) => c.name),
      ['orders-s3-sink'],
    );
    assert.equal((await connectors('?cluster=other')).length, 0);
  });

  it('returns the target definition as YAML', async () => {
    const response = await hq.agent('GET', '/api/v1/resource/kafka/connect/connect-main/connector/orders-s3-sink', { token: 'r' });
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /yaml/);
    assert.match(response.text, /^name: "orders-s3-sink"$/m);
    assert.match(response.text, /^ {2}connector\.class: "io\.lenses/m);
    assert.equal((await hq.agent('GET', '/api/v1/resource/kafka/connect/connect-main/connector/nope', { token: 'r' })).status, 404);
  });

  it('validates a configuration, reporting missing keys and unknown topics without changing state', async () => {
    const response = await hq.agent('POST', '/api/kafka-connect/validate', {
      token: 'r',
      body: { name: 'archive', cluster: 'connect-main', configuration: { 'connector.class': S3, topics: 'orders,ghost' } },
    });
    const report = body<{ error_count: number; configs: Array<{ value: { name: string; errors: string[] } }> }>(response);
    assert.equal(report.error_count, 2);
    const errors = Object.fromEntries(report.configs.map((c) => [c.value.name, c.value.errors]));
    assert.match(errors['connect.s3.kcql'][0], /Missing required/);
    assert.match(errors.topics[0], /ghost/);
    assert.equal(hq.changes, 0);
    assert.equal((await hq.agent('POST', '/api/kafka-connect/validate', { token: 'r', body: { name: 'x', cluster: 'nope', configuration: {} } })).status, 404);
  });

  it('creates a connector that is then listed, RUNNING with tasks.max tasks', async () => {
    const configuration = { 'connector.class': FILE_SINK, 'tasks.max': 2, topics: 'orders', file: '/tmp/orders.txt' };
    const response = await hq.agent('POST', '/api/kafka-connect/connectors', {
      token: 'rw',
      body: { name: 'orders-file', cluster: 'connect-main', configuration },
    });
    assert.equal(response.status, 201);
    const created = await connector('orders-file');
    assert.equal(created?.state, 'RUNNING');
    assert.equal(created?.tasks.length, 2);
    const yaml = await hq.agent('GET', '/api/v1/resource/kafka/connect/connect-main/connector/orders-file', { token: 'r' });
    assert.match(yaml.text, /tasks\.max: "2"/);
    assert.equal(
      (await hq.agent('POST', '/api/kafka-connect/connectors', { token: 'rw', body: { name: 'orders-file', cluster: 'connect-main', configuration } })).status,
      409,
    );
  });

  it('refuses a connector with an unknown class with invalid_fields', async () => {
    const response = await hq.agent('POST', '/api/kafka-connect/connectors', {
      token: 'rw',
      body: { name: 'x', cluster: 'connect-main', configuration: { 'connector.class': 'com.example.Nope' } },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(
      body<{ fields: Array<{ field: string }> }>(response).fields.map((f) => f.field),
      ['configuration.connector.class'],
    );
  });

  it('pauses, resumes, stops, starts and restarts a connector', async () => {
    const act = async (action: string) =>
      body<Connector>(await hq.agent('PUT', `/api/kafka-connect/clusters/connect-main/connectors/orders-s3-sink/${action}`, { token: 'rw' }));
    assert.equal((await act('pause')).state, 'PAUSED');
    assert.equal(
      (await connector('orders-s3-sink'))?.tasks.every((t) => t.state === 'PAUSED'),
      true,
    );
    assert.equal((await act('resume')).state, 'RUNNING');
    const stopped = await act('stop');
    assert.equal(stopped.state, 'STOPPED');
    assert.equal(stopped.tasks.length, 0);
    const started = await act('start');
    assert.equal(started.state, 'RUNNING');
    assert.equal(started.tasks.length, 2);
    assert.equal((await act('restart')).state, 'RUNNING');
    assert.equal(hq.changes, 5);
    assert.equal((await hq.agent('PUT', '/api/kafka-connect/clusters/connect-main/connectors/orders-s3-sink/explode', { token: 'rw' })).status, 400);
  });

  it('restarts a failed task', async () => {
    const response = await hq.agent('PUT', '/api/kafka-connect/clusters/connect-main/connectors/customers-jdbc-source/tasks/0/restart', { token: 'rw' });
    assert.equal(response.status, 200);
    assert.deepEqual(
      body<Connector>(response).tasks.map((t) => t.state),
      ['RUNNING'],
    );
    assert.equal(
      (await hq.agent('PUT', '/api/kafka-connect/clusters/connect-main/connectors/customers-jdbc-source/tasks/7/restart', { token: 'rw' })).status,
      404,
    );
  });

  it('deletes a connector, which is then gone', async () => {
    assert.equal((await hq.agent('DELETE', '/api/kafka-connect/clusters/connect-main/connectors/payments-file-sink', { token: 'rwd' })).status, 204);
    assert.equal(await connector('payments-file-sink'), undefined);
    assert.equal((await hq.agent('DELETE', '/api/kafka-connect/clusters/connect-main/connectors/payments-file-sink', { token: 'rwd' })).status, 404);
  });
});
