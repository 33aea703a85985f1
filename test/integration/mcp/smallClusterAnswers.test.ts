import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import type { RunningHq } from '../../../hq-emulator/testing';
import { startApiKeyMcp, type ApiKeyMcp } from './harness';

/**
 * The default sample data (a small cluster): every list tool called with only the official
 * arguments answers exactly what it answered before paging existed (HQ's answer as JSON),
 * apart from list_topics, list_datasets and list_consumer_groups, whose rows are now compact.
 */
describe('small clusters answer as before (default emulator data)', function () {
  this.timeout(30_000);
  let running: ApiKeyMcp | undefined;
  let hq: RunningHq;
  let client: Client;

  before(async () => {
    running = await startApiKeyMcp();
    ({ hq, client } = running);
  });
  after(async () => {
    await running?.close();
  });

  async function text(name: string, args: Record<string, unknown>): Promise<string> {
    const result = await client.callTool({ name, arguments: args });
    assert.notEqual(result.isError, true, name);
    return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
  async function raw(path: string): Promise<unknown> {
    return (await fetch(`${hq.url}${path}`, { headers: { Authorization: `Bearer ${hq.apiKey}` } })).json();
  }
  const agent = (path: string) => raw(`/api/v1/environments/dev/proxy${path}`);
  const pretty = (value: unknown) => JSON.stringify(value, null, 2);

  it('list_topic_metadata, list_consumer_groups with detail, list_consumer_groups_by_topic, list_kafka_connectors, list_sql_processors, list_approval_requests, list_environments: the official answer, unchanged', async () => {
    const cases: Array<[string, Record<string, unknown>, () => Promise<unknown>]> = [
      ['list_topic_metadata', { environment: 'dev' }, () => agent('/api/metadata/topics')],
      ['list_consumer_groups', { environment: 'dev', detail: true }, () => agent('/api/consumers')],
      ['list_consumer_groups_by_topic', { environment: 'dev', topic: 'orders' }, () => agent('/api/consumers/orders')],
      ['list_kafka_connectors', { environment: 'dev' }, () => agent('/api/kafka-connect/connectors')],
      ['list_sql_processors', { environment: 'dev' }, () => agent('/api/v2/streams')],
      ['list_approval_requests', { environment: 'dev' }, () => agent('/api/v1/approvals?page=1&pageSize=25')],
      ['list_environments', {}, async () => ((await raw('/api/v1/environments')) as { items: unknown[] }).items],
    ];
    for (const [tool, args, official] of cases) assert.equal(await text(tool, args), pretty(await official()), tool);
  });

  it('list_topics, list_datasets and list_consumer_groups: the official answer with compact rows, in Lenses order', async () => {
    const topics = (await agent('/api/topics')) as Array<Record<string, unknown>>;
    const compactTopics = topics.map(({ topicName, partitions, replication, totalMessages, keyType, valueType, tags }) => ({
      topicName,
      partitions,
      replication,
      totalMessages,
      keyType,
      valueType,
      tags,
    }));
    assert.equal(await text('list_topics', { environment: 'dev' }), pretty(compactTopics));
    const datasets = (await agent('/api/v1/datasets?page=1&pageSize=25&sortOrder=asc&includeSystemEntities=false&searchFields=true')) as {
      datasets: { values: Array<Record<string, unknown>> };
    };
    const compactDatasets = datasets.datasets.values.map(({ name, connectionName, partitions, replication, records, keyType, valueType, tags }) => ({
      name,
      connectionName,
      partitions,
      replication,
      records,
      keyType,
      valueType,
      tags,
    }));
    assert.equal(await text('list_datasets', { environment: 'dev' }), pretty({ ...datasets, datasets: { ...datasets.datasets, values: compactDatasets } }));
    const groups = (await agent('/api/consumers')) as Array<Record<string, unknown>>;
    const compactGroups = groups.map(({ id, state, consumersCount, topics, minLag, maxLag }) => ({ id, state, consumersCount, topics, minLag, maxLag }));
    assert.equal(await text('list_consumer_groups', { environment: 'dev' }), pretty(compactGroups));
  });

  it('get_pod_logs and execute_sql answer as before', async () => {
    const pod = 'orders-enricher-7d9f8c6b5-x2k4q';
    const logs = await (
      await fetch(`${hq.url}/api/v1/environments/dev/proxy/api/v1/k8s/logs/incluster/lenses-apps/${pod}/download`, {
        headers: { Authorization: `Bearer ${hq.apiKey}` },
      })
    ).text();
    assert.equal(await text('get_pod_logs', { environment: 'dev', cluster: 'incluster', namespace: 'lenses-apps', pod }), logs);
    const records = JSON.parse(await text('execute_sql', { environment: 'dev', sql: 'SELECT * FROM orders' })) as unknown[];
    assert.equal(records.length, 30);
  });

  it('RS-14 a legal topic name with ".." inside (orders..v2) is created and reached through the emulator', async () => {
    await text('create_topic', { environment: 'dev', topic_name: 'orders..v2', partitions: 2 });
    const detail = JSON.parse(await text('get_topic', { environment: 'dev', topic_name: 'orders..v2' })) as { topicName: string; partitions: number };
    assert.deepEqual([detail.topicName, detail.partitions], ['orders..v2', 2]);
    const found = JSON.parse((await text('list_topics', { environment: 'dev', filter: '*..v2' })).split('\n\n')[0]) as Array<{ topicName: string }>;
    assert.deepEqual(
      found.map((t) => t.topicName),
      ['orders..v2'],
    );
    const refused = await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: '..' } });
    assert.equal(refused.isError, true);
    assert.match(refused.content.map((p) => (p.type === 'text' ? p.text : '')).join(''), /Invalid arguments for get_topic: argument "topic_name"/);
  });
});
