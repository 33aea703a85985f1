import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { connectClient, resultJson, resultText, startOAuthMcp, type OAuthMcp } from './harness';

/**
 * Every one of the 45 tools, called through the SDK client over streamable HTTP against
 * the HQ emulator with a real token from its OAuth flow; writes are checked by reading
 * the emulator's state afterwards with its API key.
 */
describe('MCP tools against the HQ emulator (OAuth mode, streamable HTTP)', function () {
  this.timeout(30_000);
  let env: OAuthMcp;
  let client: Client;
  const called = new Set<string>();

  /** Reads the emulator directly (not through our server): the state after a write. */
  async function hq(path: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${env.hq.url}${path}`, { headers: { Authorization: `Bearer ${env.hq.apiKey}` } });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // text answers (YAML, logs) stay text
    }
    return { status: response.status, body };
  }
  const agent = (path: string) => hq(`/api/v1/environments/dev/proxy${path}`);

  async function call(name: string, args: Record<string, unknown> = {}): Promise<unknown> {
    called.add(name);
    return resultJson(await client.callTool({ name, arguments: args }));
  }

  before(async () => {
    env = await startOAuthMcp();
    client = await connectClient(env.mcp.url, await env.token(['read', 'write', 'delete']));
  });
  after(async () => {
    await client?.close();
    await env?.close();
  });

  describe('read tools', () => {
    it('environments: list, get, health', async () => {
      const environments = (await call('list_environments')) as Array<{ name: string }>;
      assert.deepEqual(environments.map((e) => e.name).sort(), ['dev', 'prod', 'staging']);
      assert.equal(((await call('get_environment', { name: 'dev' })) as { name: string }).name, 'dev');
      const health = (await call('check_environment_health', { name: 'dev' })) as { agent_connected: boolean; summary: { kafka_brokers: number } };
      assert.equal(health.agent_connected, true);
      assert.equal(health.summary.kafka_brokers, 3);
    });

    it('topics and their metadata', async () => {
      const topics = (await call('list_topics', { environment: 'dev' })) as Array<{ topicName: string }>;
      assert.ok(topics.some((t) => t.topicName === 'orders'));
      assert.equal(((await call('get_topic', { environment: 'dev', topic_name: 'orders' })) as { topicName: string }).topicName, 'orders');
      assert.equal(((await call('get_topic_partitions', { environment: 'dev', topic_name: 'orders' })) as { partitions: unknown[] }).partitions.length, 3);
      assert.ok(Array.isArray(await call('get_topic_broker_configs', { environment: 'dev', topic_name: 'orders' })));
      assert.ok(((await call('list_topic_metadata', { environment: 'dev' })) as Array<{ topicName: string }>).some((m) => m.topicName === 'payments'));
      assert.equal(((await call('get_topic_metadata', { environment: 'dev', topic_name: 'orders' })) as { topicName: string }).topicName, 'orders');
    });

    it('datasets', async () => {
      const page = (await call('list_datasets', { environment: 'dev', search: 'orders' })) as Array<{ name: string }>;
      assert.ok(page.some((d) => d.name === 'orders'));
      assert.equal(((await call('get_dataset', { environment: 'dev', connection: 'kafka', dataset: 'customers' })) as { name: string }).name, 'customers');
      assert.ok(((await call('get_dataset_message_metrics', { environment: 'dev', entity_name: 'orders' })) as unknown[]).length > 0);
    });

    it('connectors: list, YAML definition, validation', async () => {
      const list = (await call('list_kafka_connectors', { environment: 'dev', cluster: ['connect-main'] })) as Array<{ name: string }>;
      assert.ok(list.some((c) => c.name === 'orders-s3-sink'));
      const yaml = await call('get_kafka_connector_target_definition', {
        environment: 'dev',
        connect_cluster_name: 'connect-main',
        connector_name: 'orders-s3-sink',
      });
      assert.equal(typeof yaml, 'string');
      assert.match(yaml as string, /orders-s3-sink/);
      const validation = (await call('validate_connector_configuration', {
        environment: 'dev',
        name: 'x',
        cluster: 'connect-main',
        configuration: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', topics: 'orders' },
      })) as { error_count: number };
      assert.equal(validation.error_count, 1); // "file" is missing
    });

    it('consumer groups', async () => {
      assert.ok(((await call('list_consumer_groups', { environment: 'dev' })) as Array<{ id: string }>).some((g) => g.id === 'billing-service'));
      assert.ok(
        ((await call('list_consumer_groups_by_topic', { environment: 'dev', topic: 'customers' })) as Array<{ id: string }>).some(
          (g) => g.id === 'analytics-loader',
        ),
      );
    });

    it('execute_sql returns records and streams progress when asked', async () => {
      called.add('execute_sql');
      const progress: number[] = [];
      const result = await client.callTool(
        { name: 'execute_sql', arguments: { environment: 'dev', sql: 'SELECT * FROM orders LIMIT 5' } },
        { onprogress: (p) => progress.push(p.progress) },
      );
      const records = resultJson(result) as Array<{ key: string }>;
      assert.equal(records.length, 5);
      assert.ok(progress.length >= 2, `progress notifications: ${progress.join(',')}`);
      assert.equal(progress.at(-1), 5);
    });

    it('SQL processors, deployment targets, pod logs', async () => {
      const list = (await call('list_sql_processors', { environment: 'dev' })) as Array<{ id: string; application: { name: string } }>;
      const enricher = list.find((p) => p.application.name === 'orders-enricher');
      assert.ok(enricher);
      const one = (await call('get_sql_processor', { environment: 'dev', sql_processor_id: enricher.id })) as { application: { name: string } };
      assert.equal(one.application.name, 'orders-enricher');
      const targets = (await call('get_deployment_targets', { environment: 'dev' })) as { kubernetes: Array<{ cluster: string }> };
      assert.equal(targets.kubernetes[0].cluster, 'incluster');
      const logs = await call('get_pod_logs', { environment: 'dev', cluster: 'incluster', namespace: 'lenses-apps', pod: 'orders-enricher-7d9f8c6b5-x2k4q' });
      assert.match(String(logs), /Processed 30 records/);
    });

    it('approval requests', async () => {
      const list = (await call('list_approval_requests', { environment: 'dev', statuses: ['Approved'] })) as Array<{ entityName: string; id: string }>;
      assert.deepEqual(
        list.map((a) => a.entityName),
        ['shipments'],
      );
      const one = (await call('get_approval_request', { environment: 'dev', request_id: list[0].id })) as { approvalStatus: string };
      assert.equal(one.approvalStatus, 'Approved');
    });
  });

  describe('write tools (state checked at the emulator)', () => {
    it('create_environment', async () => {
      await call('create_environment', { name: 'qa-1', display_name: 'QA one', tier: 'staging' });
      const stored = await hq('/api/v1/environments/qa-1');
      assert.equal(stored.status, 200);
      assert.equal((stored.body as { tier: string }).tier, 'staging');
    });

    it('create_topic, update_topic_config, add_topic_partitions', async () => {
      await call('create_topic', { environment: 'dev', topic_name: 'mcp-created', partitions: 2, configs: { 'retention.ms': '60000' } });
      assert.equal(((await agent('/api/topics/mcp-created')).body as { partitions: number }).partitions, 2);
      await call('update_topic_config', { environment: 'dev', topic_name: 'mcp-created', configs: [{ key: 'retention.ms', value: '120000' }] });
      const detail = (await agent('/api/topics/mcp-created')).body as { configs: Array<{ name: string; value: string }> };
      assert.equal(detail.configs.find((c) => c.name === 'retention.ms')?.value, '120000');
      await call('add_topic_partitions', { environment: 'dev', topic_name: 'mcp-created', partitions: 4 });
      assert.equal(((await agent('/api/topics/mcp-created')).body as { partitions: number }).partitions, 4);
    });

    it('create_topic_with_schema', async () => {
      await call('create_topic_with_schema', {
        environment: 'dev',
        name: 'mcp-schema',
        key_format: 'STRING',
        value_format: 'JSON',
        value_schema: '{"type":"object"}',
      });
      const stored = await agent('/api/topics/mcp-schema');
      assert.equal(stored.status, 200);
      assert.equal((stored.body as { valueType: string }).valueType, 'JSON');
    });

    it('resend_message', async () => {
      const before = ((await agent('/api/topics/payments')).body as { totalMessages: number }).totalMessages;
      await call('resend_message', { environment: 'dev', topic_name: 'payments', partition: 0, offset: 0 });
      assert.equal(((await agent('/api/topics/payments')).body as { totalMessages: number }).totalMessages, before + 1);
    });

    it('update_topic_metadata, update_dataset_topic_description, update_dataset_topic_tags', async () => {
      await call('update_topic_metadata', {
        environment: 'dev',
        metadata: { topicName: 'mcp-created', keyType: 'STRING', valueType: 'JSON', description: 'from metadata' },
      });
      assert.equal(((await agent('/api/metadata/topics/mcp-created')).body as { description: string }).description, 'from metadata');
      await call('update_dataset_topic_description', { environment: 'dev', topic_name: 'mcp-created', description: 'from datasets' });
      await call('update_dataset_topic_tags', { environment: 'dev', topic_name: 'mcp-created', tags: ['mcp', 'test'] });
      const dataset = (await agent('/api/v1/datasets/kafka/mcp-created')).body as { description: string; tags: Array<{ name: string }> };
      assert.equal(dataset.description, 'from datasets');
      assert.deepEqual(
        dataset.tags.map((t) => t.name),
        ['mcp', 'test'],
      );
    });

    it('create_kafka_connector, set_action_on_kafka_connector, restart_kafka_connector_task', async () => {
      await call('create_kafka_connector', {
        environment: 'dev',
        name: 'mcp-file-sink',
        cluster: 'connect-main',
        configuration: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', topics: 'orders', file: '/tmp/orders.txt' },
      });
      const connectors = async () =>
        (
          (await agent('/api/kafka-connect/connectors')).body as {
            data: Array<{ name: string; state: string; tasks: Array<{ id: number; state: string }> }>;
          }
        ).data;
      assert.ok((await connectors()).some((c) => c.name === 'mcp-file-sink'));
      await call('set_action_on_kafka_connector', { environment: 'dev', cluster: 'connect-main', connector: 'mcp-file-sink', action: 'pause' });
      assert.equal((await connectors()).find((c) => c.name === 'mcp-file-sink')?.state, 'PAUSED');
      await call('restart_kafka_connector_task', { environment: 'dev', cluster: 'connect-main', connector: 'customers-jdbc-source', task_id: 0 });
      assert.equal((await connectors()).find((c) => c.name === 'customers-jdbc-source')?.tasks[0].state, 'RUNNING');
    });

    it('update_consumer_group_offsets, update_consumer_partition_offset', async () => {
      const group = async () =>
        (await agent('/api/consumers')).body as Array<{
          id: string;
          offsets: Array<{ topic: string; partition: number; currentOffset: number; lag: number }>;
        }>;
      await call('update_consumer_group_offsets', { environment: 'dev', group_id: 'orders-archiver', topics: ['orders'], reset_to: 'start' });
      const reset = (await group()).find((g) => g.id === 'orders-archiver');
      assert.equal(
        reset?.offsets.reduce((sum, row) => sum + row.lag, 0),
        30,
      ); // every one of the 30 retained orders is unread again
      await call('update_consumer_partition_offset', { environment: 'dev', group_id: 'orders-archiver', topic: 'orders', partition: 0, offset: 7 });
      assert.equal((await group()).find((g) => g.id === 'orders-archiver')?.offsets.find((o) => o.partition === 0)?.currentOffset, 7);
    });

    it('create_sql_processor', async () => {
      const created = (await call('create_sql_processor', {
        environment: 'dev',
        name: 'mcp-proc',
        sql: 'INSERT INTO mcp-out SELECT STREAM * FROM orders',
        deployment: { mode: 'IN_PROC' },
        sql_processor_id: 'mcp-proc',
      })) as { id: string };
      assert.equal((await agent(`/api/v2/streams/${created.id}`)).status, 200);
    });

    it('request_topic_creation', async () => {
      await call('request_topic_creation', {
        environment: 'dev',
        topic_name: 'mcp-requested',
        reason: 'integration test',
        partitions: 2,
        tags: ['mcp'],
        consumers: 3,
      });
      const list = (await agent('/api/v1/approvals?pageSize=50&entityName=mcp-requested')).body as {
        values: Array<{ approvalStatus: string; settings: { partitions: number } }>;
      };
      assert.equal(list.values.length, 1);
      assert.equal(list.values[0].approvalStatus, 'Pending');
      assert.equal(list.values[0].settings.partitions, 2);
    });
  });

  describe('delete tools (state checked at the emulator)', () => {
    it('delete_kafka_connector', async () => {
      await call('delete_kafka_connector', { environment: 'dev', cluster: 'connect-main', connector: 'mcp-file-sink' });
      const { data: connectors } = (await agent('/api/kafka-connect/connectors')).body as { data: Array<{ name: string }> };
      assert.ok(!connectors.some((c) => c.name === 'mcp-file-sink'));
    });

    it('delete_consumer_partition_offset, delete_consumer_group_offsets, delete_consumer_group', async () => {
      const group = async (id: string) =>
        ((await agent('/api/consumers')).body as Array<{ id: string; offsets: Array<{ topic: string; partition: number }> }>).find((g) => g.id === id);
      await call('delete_consumer_partition_offset', { environment: 'dev', group_id: 'orders-archiver', topic: 'orders', partition: 0 });
      assert.ok(!(await group('orders-archiver'))?.offsets.some((o) => o.topic === 'orders' && o.partition === 0));
      await call('delete_consumer_group_offsets', { environment: 'dev', group_id: 'analytics-loader', topics: ['customers'] });
      assert.ok(!(await group('analytics-loader'))?.offsets.some((o) => o.topic === 'customers'));
      await call('delete_consumer_group', { environment: 'dev', group_id: 'analytics-loader' });
      assert.equal(await group('analytics-loader'), undefined);
    });

    it('delete_sql_processor', async () => {
      await call('delete_sql_processor', { environment: 'dev', sql_processor_id: 'mcp-proc' });
      assert.equal((await agent('/api/v2/streams/mcp-proc')).status, 404);
    });
  });

  describe('afterwards', () => {
    it("a refusal comes back as one readable sentence with HQ's own words (hq_Error's title and request id; agent_BadRequest's error)", async () => {
      const result = await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: 'no-such-topic' } });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /^get_topic failed: Lenses answered 404 .*no-such-topic.*\. Check the names with a list tool\.$/);
      const hqRefusal = await client.callTool({ name: 'get_environment', arguments: { name: 'no-such-environment' } });
      assert.match(resultText(hqRefusal), /^get_environment failed: Lenses answered 404 .*no-such-environment.*\(request id [^)]+\)\./);
    });

    it('called every one of the 45 tools', () => {
      assert.deepEqual(
        LENSES_TOOLS.map((t) => t.name).filter((name) => !called.has(name)),
        [],
      );
    });
  });
});
