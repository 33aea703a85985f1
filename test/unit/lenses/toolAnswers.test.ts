import assert from 'node:assert/strict';
import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import type { Logger } from '../../../src/log';
import { ALL_SCOPES } from '../../../src/scopes';
import { urlOf } from '../../support/requestUrl';
import { connectInMemory } from '../mcp/inMemoryServer';
import { APPROVALS, CONNECTORS, CONSUMER_GROUPS, DATASETS, ENVIRONMENTS, PROCESSORS, TOPICS } from './publishedAnswers';

/** The tools on HQ answers as Lenses publishes them, and on shapes no version publishes. */
describe('tools read the published answers; unknown shapes pass through', () => {
  let answers: Map<string, unknown>;
  let client: Client;
  let close: () => Promise<void>;
  const warnings: string[] = [];

  beforeEach(async () => {
    answers = new Map();
    warnings.length = 0;
    const fetch: typeof globalThis.fetch = async (input) => {
      const path = new URL(urlOf(input)).pathname.replace('/api/v1/environments/dev/proxy', '');
      if (!answers.has(path)) return new Response(JSON.stringify({ title: `no ${path}`, status: 404 }), { status: 404 });
      return Response.json(answers.get(path));
    };
    const logger: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => void warnings.push(String(m)), error() {} };
    const connected = await connectInMemory({ fetch, logger, defaultAccess: { kind: 'granted', token: 'tok', scopes: new Set(ALL_SCOPES) } });
    client = connected.client;
    close = () => connected.server.close();
  });
  afterEach(() => close());

  const call = async (name: string, args: Record<string, unknown>) => await client.callTool({ name, arguments: args });
  const text = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  const items = (result: CallToolResult) => (result.structuredContent as { items: Array<Record<string, unknown>> }).items;

  it('HQ-01 list_kafka_connectors: {data: [...]} with state and tasks; filter, sort and paging on name', async () => {
    answers.set('/api/kafka-connect/connectors', CONNECTORS);
    const all = await call('list_kafka_connectors', { environment: 'dev' });
    assert.deepEqual(JSON.parse(text(all)), CONNECTORS, 'the official answer, unchanged');
    const filtered = await call('list_kafka_connectors', { environment: 'dev', filter: 'jdbc' });
    assert.deepEqual(
      items(filtered).map((c) => [c.name, c.state]),
      [['customers-jdbc-source', 'PAUSED']],
    );
    const second = await call('list_kafka_connectors', { environment: 'dev', offset: 1, limit: 1 });
    assert.deepEqual(
      items(second).map((c) => c.name),
      ['orders-s3-sink'],
    );
  });

  it('HQ-01 list_sql_processors: filter, sort and paging on application.name; the state at deployment.status.level', async () => {
    answers.set('/api/v2/streams', PROCESSORS);
    const filtered = await call('list_sql_processors', { environment: 'dev', filter: 'enrich' });
    assert.deepEqual(
      items(filtered).map((p) => [(p.application as { name: string }).name, (p.deployment as { status: { level: string } }).status.level]),
      [['orders-enricher', 'NOT_RUNNING']],
    );
    const first = await call('list_sql_processors', { environment: 'dev', limit: 1 });
    assert.equal((items(first)[0].application as { name: string }).name, 'audit-copy', 'name order is application.name order');
  });

  it('HQ-01 list_consumer_groups: compact rows with the lag fields HQ gives (minLag, maxLag)', async () => {
    answers.set('/api/consumers', CONSUMER_GROUPS);
    assert.deepEqual(items(await call('list_consumer_groups', { environment: 'dev' })), [
      { id: 'billing-service', state: 'Stable', consumersCount: 2, minLag: 0, maxLag: 12 },
    ]);
  });

  it('HQ-01 list_environments and check_environment_health: metrics from status.agent.metrics, the version from status.agent.agent.version', async () => {
    answers.set('/api/v1/environments', ENVIRONMENTS);
    answers.set('/api/v1/environments/prod', ENVIRONMENTS.items[0]);
    assert.deepEqual(JSON.parse(text(await call('list_environments', {}))), ENVIRONMENTS.items);
    assert.deepEqual(JSON.parse(text(await call('check_environment_health', { name: 'prod' }))), {
      environment: 'prod',
      healthy: false,
      agent_connected: true,
      agent_version: '6.2.1',
      issues: ['Found 2 issues'],
      summary: { kafka_brokers: 3, topics: 42, consumers: 9, connectors: 4 },
    });
  });

  it('HQ-01 list_topics, list_datasets and list_approval_requests with only the official arguments', async () => {
    answers.set('/api/topics', TOPICS);
    answers.set('/api/v1/datasets', DATASETS);
    answers.set('/api/v1/approvals', APPROVALS);
    assert.equal(items(await call('list_topics', { environment: 'dev' }))[0].topicName, 'orders');
    assert.equal(items(await call('list_datasets', { environment: 'dev' }))[0].name, 'orders');
    assert.equal(items(await call('list_approval_requests', { environment: 'dev' }))[0].entityName, 'shipments');
  });

  const unknownShapes: Array<[string, string, Record<string, unknown>, unknown]> = [
    ['list_kafka_connectors', '/api/kafka-connect/connectors', { environment: 'dev' }, { connectors: [{ name: 'a', status: 'RUNNING' }] }],
    ['list_sql_processors', '/api/v2/streams', { environment: 'dev' }, [{ id: 'p', name: 'x' }]],
    ['list_consumer_groups', '/api/consumers', { environment: 'dev' }, { groups: [{ groupId: 'g' }] }],
    ['list_environments', '/api/v1/environments', {}, {}],
    ['list_topics', '/api/topics', { environment: 'dev' }, { topics: ['a', 'b'] }],
    ['list_datasets', '/api/v1/datasets', { environment: 'dev' }, { results: [] }],
    ['list_approval_requests', '/api/v1/approvals', { environment: 'dev' }, []],
  ];
  for (const [tool, path, args, shape] of unknownShapes) {
    it(`HQ-02 ${tool} on an unknown shape: HQ's answer as JSON and one line saying so; never a tool error; the log names the endpoint and keys`, async () => {
      answers.set(path, shape);
      const result = await call(tool, args);
      assert.equal(result.isError, undefined, text(result));
      const [json, note] = text(result).split('\n\n');
      assert.deepEqual(JSON.parse(json), shape);
      assert.match(note, /in a shape this server does not recognise/);
      assert.ok(
        warnings.some((w) => w.includes(`GET ${path}`) && /keys: |a list of/.test(w)),
        warnings.join('\n'),
      );
    });
  }

  it('HQ-02 check_environment_health on an unknown shape: the answer as it came, with no structuredContent', async () => {
    answers.set('/api/v1/environments/prod', { environment: 'prod', up: true });
    const result = await call('check_environment_health', { name: 'prod' });
    assert.equal(result.isError, undefined);
    assert.equal(result.structuredContent, undefined);
    assert.match(text(result), /"up": true[\s\S]*does not recognise/);
  });

  it('HQ-02 an unknown list over the budget keeps whole items and says how many', async () => {
    const many = { things: Array.from({ length: 500 }, (_, i) => ({ id: i, text: 'x'.repeat(80) })) };
    answers.set('/api/topics', many);
    const result = await call('list_topics', { environment: 'dev' });
    const body = text(result);
    assert.ok(body.length <= 24_000, String(body.length));
    assert.match(body, /Showing the first \d+ of 500 items/);
    const shown = JSON.parse(body.split('\n\n')[0]) as { things: unknown[] };
    assert.ok(shown.things.length > 10 && shown.things.length < 500);
  });
});
