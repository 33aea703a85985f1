import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ApiKeyAuthenticator } from '../../../src/mcp/auth/apiKeyAuthenticator';
import { DEFAULT_RULES, fixedGovernance } from '../../../src/mcp/governance';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { ALL_SCOPES } from '../../../src/scopes';
import { startRecordingHq, type RecordedRequest, type RecordingHq } from './recordingHq';

/**
 * The request the official Lenses MCP server (lensesio/lenses-mcp, src/lenses_mcp/tools/*.py
 * and clients/{http,websocket}_client.py) sends to HQ for the same arguments, written as its
 * source builds it:
 * - `path`: the f-string, unencoded (the names used here need no encoding);
 * - `query`: the query string it builds (list_datasets and list_kafka_connectors by hand, raw,
 *   with Python's `True`/`False`; list_approval_requests with `urlencode(quote_via=quote)`);
 * - `body`: the JSON it sends; absent when `_make_request` gets no data (or an empty dict,
 *   since it sends `json=data if data else None`). For `WS` (execute_sql), the first message.
 */
interface OfficialRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'WS';
  path: string;
  query?: string;
  body?: unknown;
}

interface Case {
  tool: string;
  /** What the case shows, when a tool has several. */
  label?: string;
  args: Record<string, unknown>;
  official: OfficialRequest[];
}

const E = '/api/v1/environments/dev/proxy';
const DATASETS_DEFAULT_QUERY = 'page=1&pageSize=25&sortOrder=asc&includeSystemEntities=False&searchFields=True';
const REQUEST_ID = '3f2a6c1e-8d4b-4e2a-9c7f-1a2b3c4d5e6f';
const NO_CAPACITY = { recordsSize: null, dataProducedPerDay: null, consumers: null };

const CASES: Case[] = [
  // approvals.py
  {
    tool: 'request_topic_creation',
    label: 'every argument',
    args: {
      environment: 'dev',
      topic_name: 'orders.v2',
      reason: 'new service',
      partitions: 3,
      replication: 2,
      configs: { 'retention.ms': '86400000' },
      tags: ['team-a'],
      records_size: 512,
      data_produced_per_day: 1000,
      consumers: 2,
    },
    official: [
      {
        method: 'POST',
        path: `${E}/api/v1/approvals`,
        body: {
          type: 'CreateNewEntity',
          entityName: 'orders.v2',
          entityType: 'KafkaTopic',
          settings: {
            replication: 2,
            partitions: 3,
            capacity: { recordsSize: 512, dataProducedPerDay: 1000, consumers: 2 },
            topicConfig: { 'retention.ms': '86400000' },
          },
          metadata: { reason: 'new service', tags: ['team-a'] },
        },
      },
    ],
  },
  {
    tool: 'request_topic_creation',
    label: 'configs {} and no tags or capacity: no topicConfig, tags [], capacity all null',
    args: { environment: 'dev', topic_name: 'orders.v2', reason: 'new service', configs: {} },
    official: [
      {
        method: 'POST',
        path: `${E}/api/v1/approvals`,
        body: {
          type: 'CreateNewEntity',
          entityName: 'orders.v2',
          entityType: 'KafkaTopic',
          settings: { replication: 1, partitions: 1, capacity: NO_CAPACITY },
          metadata: { reason: 'new service', tags: [] },
        },
      },
    ],
  },
  {
    tool: 'request_topic_creation',
    label: 'capacity 0 is a value, tags [] stays []',
    args: { environment: 'dev', topic_name: 'orders.v2', reason: 'r', tags: [], consumers: 0 },
    official: [
      {
        method: 'POST',
        path: `${E}/api/v1/approvals`,
        body: {
          type: 'CreateNewEntity',
          entityName: 'orders.v2',
          entityType: 'KafkaTopic',
          settings: { replication: 1, partitions: 1, capacity: { ...NO_CAPACITY, consumers: 0 } },
          metadata: { reason: 'r', tags: [] },
        },
      },
    ],
  },
  {
    tool: 'list_approval_requests',
    label: 'defaults',
    args: { environment: 'dev' },
    official: [{ method: 'GET', path: `${E}/api/v1/approvals`, query: 'page=1&pageSize=25' }],
  },
  {
    tool: 'list_approval_requests',
    label: 'every filter, in the official order',
    args: {
      environment: 'dev',
      statuses: ['Pending', 'Failed'],
      entity_name: 'orders v2',
      page: 2,
      page_size: 10,
      sort_field: 'createdAt',
      sort_order: 'desc',
    },
    official: [
      {
        method: 'GET',
        path: `${E}/api/v1/approvals`,
        query: 'page=2&pageSize=10&approvalStatus=Pending&approvalStatus=Failed&entityName=orders%20v2&sortField=createdAt&sortOrder=desc',
      },
    ],
  },
  {
    tool: 'list_approval_requests',
    label: 'entity_name "", statuses [], sort_field "", sort_order "": no such parameters',
    args: { environment: 'dev', statuses: [], entity_name: '', sort_field: '', sort_order: '' },
    official: [{ method: 'GET', path: `${E}/api/v1/approvals`, query: 'page=1&pageSize=25' }],
  },
  {
    tool: 'get_approval_request',
    args: { environment: 'dev', request_id: REQUEST_ID },
    official: [{ method: 'GET', path: `${E}/api/v1/approvals/${REQUEST_ID}` }],
  },

  // environments.py
  { tool: 'list_environments', args: {}, official: [{ method: 'GET', path: '/api/v1/environments' }] },
  { tool: 'get_environment', args: { name: 'dev' }, official: [{ method: 'GET', path: '/api/v1/environments/dev' }] },
  {
    tool: 'create_environment',
    label: 'every argument',
    args: { name: 'team-a', display_name: 'Team A', tier: 'staging', metadata: { owner: 'a' } },
    official: [{ method: 'POST', path: '/api/v1/environments', body: { name: 'team-a', tier: 'staging', display_name: 'Team A', metadata: { owner: 'a' } } }],
  },
  {
    tool: 'create_environment',
    label: 'metadata {} and display_name "": both left out',
    args: { name: 'team-a', display_name: '', metadata: {} },
    official: [{ method: 'POST', path: '/api/v1/environments', body: { name: 'team-a', tier: 'development' } }],
  },
  { tool: 'check_environment_health', args: { name: 'dev' }, official: [{ method: 'GET', path: '/api/v1/environments/dev' }] },

  // kafka_connectors.py
  {
    tool: 'list_kafka_connectors',
    label: 'no filters: no query',
    args: { environment: 'dev' },
    official: [{ method: 'GET', path: `${E}/api/kafka-connect/connectors` }],
  },
  {
    tool: 'list_kafka_connectors',
    label: 'clusters and classes',
    args: { environment: 'dev', cluster: ['connect-a', 'connect-b'], class_name: ['io.lenses.S3Sink'] },
    official: [{ method: 'GET', path: `${E}/api/kafka-connect/connectors`, query: 'cluster=connect-a&cluster=connect-b&className=io.lenses.S3Sink' }],
  },
  {
    tool: 'list_kafka_connectors',
    label: 'empty lists: no query',
    args: { environment: 'dev', cluster: [], class_name: [] },
    official: [{ method: 'GET', path: `${E}/api/kafka-connect/connectors` }],
  },
  {
    tool: 'get_kafka_connector_target_definition',
    args: { environment: 'dev', connect_cluster_name: 'connect-a', connector_name: 's3-sink' },
    official: [{ method: 'GET', path: `${E}/api/v1/resource/kafka/connect/connect-a/connector/s3-sink` }],
  },
  {
    tool: 'create_kafka_connector',
    args: { environment: 'dev', name: 's3-sink', cluster: 'connect-a', configuration: { 'connector.class': 'io.lenses.S3Sink', 'tasks.max': '1' } },
    official: [
      {
        method: 'POST',
        path: `${E}/api/kafka-connect/connectors`,
        body: { name: 's3-sink', cluster: 'connect-a', configuration: { 'connector.class': 'io.lenses.S3Sink', 'tasks.max': '1' } },
      },
    ],
  },
  ...['start', 'stop', 'restart', 'pause', 'resume'].map((action): Case => ({
    tool: 'set_action_on_kafka_connector',
    label: action,
    args: { environment: 'dev', cluster: 'connect-a', connector: 's3-sink', action },
    official: [{ method: 'PUT', path: `${E}/api/kafka-connect/clusters/connect-a/connectors/s3-sink/${action}` }],
  })),
  {
    tool: 'restart_kafka_connector_task',
    args: { environment: 'dev', cluster: 'connect-a', connector: 's3-sink', task_id: 0 },
    official: [{ method: 'PUT', path: `${E}/api/kafka-connect/clusters/connect-a/connectors/s3-sink/tasks/0/restart` }],
  },
  {
    tool: 'delete_kafka_connector',
    args: { environment: 'dev', cluster: 'connect-a', connector: 's3-sink' },
    official: [{ method: 'DELETE', path: `${E}/api/kafka-connect/clusters/connect-a/connectors/s3-sink` }],
  },
  {
    tool: 'validate_connector_configuration',
    args: { environment: 'dev', name: 's3-sink', cluster: 'connect-a', configuration: {} },
    official: [{ method: 'POST', path: `${E}/api/kafka-connect/validate`, body: { name: 's3-sink', cluster: 'connect-a', configuration: {} } }],
  },

  // kafka_consumer_groups.py
  { tool: 'list_consumer_groups', args: { environment: 'dev' }, official: [{ method: 'GET', path: `${E}/api/consumers` }] },
  { tool: 'list_consumer_groups_by_topic', args: { environment: 'dev', topic: 'orders' }, official: [{ method: 'GET', path: `${E}/api/consumers/orders` }] },
  {
    tool: 'update_consumer_group_offsets',
    label: 'start: no target, even when given',
    args: { environment: 'dev', group_id: 'billing', topics: ['orders', 'payments'], reset_to: 'start', target: '2026-04-28T10:00:00Z' },
    official: [{ method: 'PUT', path: `${E}/api/consumers/billing/offsets`, body: { type: 'start', topics: ['orders', 'payments'] } }],
  },
  {
    tool: 'update_consumer_group_offsets',
    label: 'timestamp',
    args: { environment: 'dev', group_id: 'billing', topics: ['orders'], reset_to: 'timestamp', target: '2026-04-28T10:00:00Z' },
    official: [{ method: 'PUT', path: `${E}/api/consumers/billing/offsets`, body: { type: 'timestamp', topics: ['orders'], target: '2026-04-28T10:00:00Z' } }],
  },
  {
    tool: 'delete_consumer_group_offsets',
    args: { environment: 'dev', group_id: 'billing', topics: ['orders'] },
    official: [{ method: 'POST', path: `${E}/api/consumers/billing/offsets/delete`, body: { topics: ['orders'] } }],
  },
  {
    tool: 'update_consumer_partition_offset',
    args: { environment: 'dev', group_id: 'billing', topic: 'orders', partition: 2, offset: 40 },
    official: [{ method: 'PUT', path: `${E}/api/consumers/billing/offsets/topics/orders/partitions/2`, body: { type: 'absolute', offset: 40 } }],
  },
  {
    tool: 'delete_consumer_partition_offset',
    args: { environment: 'dev', group_id: 'billing', topic: 'orders', partition: 2 },
    official: [{ method: 'DELETE', path: `${E}/api/consumers/billing/topics/orders/partitions/2/offsets` }],
  },
  { tool: 'delete_consumer_group', args: { environment: 'dev', group_id: 'billing' }, official: [{ method: 'DELETE', path: `${E}/api/consumers/billing` }] },

  // sql.py (websocket_client.py)
  {
    tool: 'execute_sql',
    args: { environment: 'dev', sql: 'SELECT * FROM orders LIMIT 1' },
    official: [{ method: 'WS', path: `${E}/api/ws/v2/sql/execute`, body: { sql: 'SELECT * FROM orders LIMIT 1' } }],
  },

  // sql_processors.py
  { tool: 'list_sql_processors', args: { environment: 'dev' }, official: [{ method: 'GET', path: `${E}/api/v2/streams` }] },
  {
    tool: 'get_sql_processor',
    args: { environment: 'dev', sql_processor_id: 'orders-copy' },
    official: [{ method: 'GET', path: `${E}/api/v2/streams/orders-copy` }],
  },
  {
    tool: 'create_sql_processor',
    label: 'every argument',
    args: {
      environment: 'dev',
      name: 'copy',
      sql: 'INSERT INTO b SELECT STREAM * FROM a',
      deployment: { mode: 'IN_PROC' },
      sql_processor_id: 'orders-copy',
      description: 'copies',
      tags: ['t'],
    },
    official: [
      {
        method: 'POST',
        path: `${E}/api/v2/streams`,
        body: {
          name: 'copy',
          sql: 'INSERT INTO b SELECT STREAM * FROM a',
          processorId: 'orders-copy',
          description: 'copies',
          deployment: { mode: 'IN_PROC' },
          tags: ['t'],
        },
      },
    ],
  },
  {
    tool: 'create_sql_processor',
    label: 'deployment {}, sql_processor_id "", description "", tags []: all left out',
    args: { environment: 'dev', name: 'copy', sql: 'INSERT INTO b SELECT STREAM * FROM a', deployment: {}, sql_processor_id: '', description: '', tags: [] },
    official: [{ method: 'POST', path: `${E}/api/v2/streams`, body: { name: 'copy', sql: 'INSERT INTO b SELECT STREAM * FROM a' } }],
  },
  {
    tool: 'delete_sql_processor',
    args: { environment: 'dev', sql_processor_id: 'orders-copy' },
    official: [{ method: 'DELETE', path: `${E}/api/v1/streams/orders-copy` }],
  },
  { tool: 'get_deployment_targets', args: { environment: 'dev' }, official: [{ method: 'GET', path: `${E}/api/v1/deployment/targets` }] },
  {
    tool: 'get_pod_logs',
    args: { environment: 'dev', cluster: 'incluster', namespace: 'ai-agent', pod: 'copy-0' },
    official: [{ method: 'GET', path: `${E}/api/v1/k8s/logs/incluster/ai-agent/copy-0/download` }],
  },

  // topics.py: topics
  { tool: 'list_topics', args: { environment: 'dev' }, official: [{ method: 'GET', path: `${E}/api/topics` }] },
  { tool: 'get_topic', args: { environment: 'dev', topic_name: 'orders' }, official: [{ method: 'GET', path: `${E}/api/topics/orders` }] },
  {
    tool: 'get_topic',
    label: 'orders..v2 (a legal Kafka name) is reachable',
    args: { environment: 'dev', topic_name: 'orders..v2' },
    official: [{ method: 'GET', path: `${E}/api/topics/orders..v2` }],
  },
  {
    tool: 'get_topic_partitions',
    args: { environment: 'dev', topic_name: 'orders' },
    official: [{ method: 'GET', path: `${E}/api/v2/topics/orders/partitions` }],
  },
  {
    tool: 'create_topic',
    label: 'configs',
    args: { environment: 'dev', topic_name: 'orders.v2', partitions: 3, replication: 2, configs: { 'cleanup.policy': 'compact' } },
    official: [
      { method: 'POST', path: `${E}/api/topics`, body: { topicName: 'orders.v2', partitions: 3, replication: 2, configs: { 'cleanup.policy': 'compact' } } },
    ],
  },
  {
    tool: 'create_topic',
    label: 'no configs: configs {} (the official sends it)',
    args: { environment: 'dev', topic_name: 'orders.v2' },
    official: [{ method: 'POST', path: `${E}/api/topics`, body: { topicName: 'orders.v2', partitions: 1, replication: 1, configs: {} } }],
  },
  {
    tool: 'create_topic',
    label: 'configs {}',
    args: { environment: 'dev', topic_name: 'orders.v2', configs: {} },
    official: [{ method: 'POST', path: `${E}/api/topics`, body: { topicName: 'orders.v2', partitions: 1, replication: 1, configs: {} } }],
  },
  {
    tool: 'create_topic_with_schema',
    label: 'key and value formats',
    args: {
      environment: 'dev',
      name: 'orders.v2',
      configs: { 'retention.ms': '1000' },
      key_format: 'STRING',
      value_format: 'AVRO',
      value_schema: '{"type":"string"}',
    },
    official: [
      {
        method: 'POST',
        path: `${E}/api/v1/kafka/topic`,
        body: {
          name: 'orders.v2',
          partitions: 1,
          replication: 1,
          configs: { 'retention.ms': '1000' },
          format: { key: { format: 'STRING' }, value: { format: 'AVRO', schema: '{"type":"string"}' } },
        },
      },
    ],
  },
  {
    tool: 'create_topic_with_schema',
    label: 'empty formats and schemas: no format, configs {}',
    args: { environment: 'dev', name: 'orders.v2', configs: {}, key_format: '', key_schema: '', value_format: '', value_schema: '' },
    official: [{ method: 'POST', path: `${E}/api/v1/kafka/topic`, body: { name: 'orders.v2', partitions: 1, replication: 1, configs: {} } }],
  },
  {
    tool: 'create_topic_with_schema',
    label: 'a format with an empty schema: no schema key',
    args: { environment: 'dev', name: 'orders.v2', value_format: 'JSON', value_schema: '' },
    official: [
      {
        method: 'POST',
        path: `${E}/api/v1/kafka/topic`,
        body: { name: 'orders.v2', partitions: 1, replication: 1, configs: {}, format: { value: { format: 'JSON' } } },
      },
    ],
  },
  {
    tool: 'update_topic_config',
    args: { environment: 'dev', topic_name: 'orders', configs: [{ key: 'retention.ms', value: '86400000' }] },
    official: [{ method: 'PUT', path: `${E}/api/configs/topics/orders`, body: { configs: [{ key: 'retention.ms', value: '86400000' }] } }],
  },
  {
    tool: 'get_topic_broker_configs',
    args: { environment: 'dev', topic_name: 'orders' },
    official: [{ method: 'GET', path: `${E}/api/topics/orders/brokerConfigs` }],
  },
  {
    tool: 'add_topic_partitions',
    args: { environment: 'dev', topic_name: 'orders', partitions: 6 },
    official: [{ method: 'PUT', path: `${E}/api/v1/kafka/topics/orders/partitions`, body: { partitions: 6 } }],
  },
  {
    tool: 'resend_message',
    args: { environment: 'dev', topic_name: 'orders', partition: 1, offset: 42 },
    official: [{ method: 'PUT', path: `${E}/api/topics/orders/1/42/resend` }],
  },
  { tool: 'list_topic_metadata', args: { environment: 'dev' }, official: [{ method: 'GET', path: `${E}/api/metadata/topics` }] },
  { tool: 'get_topic_metadata', args: { environment: 'dev', topic_name: 'orders' }, official: [{ method: 'GET', path: `${E}/api/metadata/topics/orders` }] },
  {
    tool: 'update_topic_metadata',
    args: { environment: 'dev', metadata: { topicName: 'orders', keyType: 'STRING', valueType: 'AVRO', description: 'd', tags: [{ name: 'pii' }] } },
    official: [
      {
        method: 'POST',
        path: `${E}/api/v1/metadata/topics`,
        body: { topicName: 'orders', keyType: 'STRING', valueType: 'AVRO', description: 'd', tags: [{ name: 'pii' }] },
      },
    ],
  },

  // topics.py: datasets
  {
    tool: 'list_datasets',
    label: 'defaults',
    args: { environment: 'dev' },
    official: [{ method: 'GET', path: `${E}/api/v1/datasets`, query: DATASETS_DEFAULT_QUERY }],
  },
  {
    tool: 'list_datasets',
    label: 'every filter, in the official order',
    args: {
      environment: 'dev',
      page: 2,
      page_size: 50,
      search: 'orders v2',
      connections: ['kafka', 's3'],
      tags: ['pii'],
      sort_field: 'name',
      sort_order: 'desc',
      include_system: true,
      search_fields: false,
      schema_format: 'AVRO',
      has_records: true,
      is_compacted: false,
    },
    official: [
      {
        method: 'GET',
        path: `${E}/api/v1/datasets`,
        query:
          'page=2&pageSize=50&sortOrder=desc&includeSystemEntities=True&searchFields=False&search=orders v2&connections=kafka&connections=s3&tags=pii&sortField=name&schemaFormat=AVRO&hasRecords=True&isCompacted=False',
      },
    ],
  },
  {
    tool: 'list_datasets',
    label: 'empty texts and lists: left out; has_records false is a value',
    args: { environment: 'dev', search: '', connections: [], tags: [], sort_field: '', schema_format: '', has_records: false },
    official: [{ method: 'GET', path: `${E}/api/v1/datasets`, query: `${DATASETS_DEFAULT_QUERY}&hasRecords=False` }],
  },
  {
    tool: 'get_dataset',
    args: { environment: 'dev', connection: 'kafka', dataset: 'orders' },
    official: [{ method: 'GET', path: `${E}/api/v1/datasets/kafka/orders` }],
  },
  {
    tool: 'get_dataset_message_metrics',
    args: { environment: 'dev', entity_name: 'orders' },
    official: [{ method: 'GET', path: `${E}/api/v1/datasets/kafka/orders/messages/metrics` }],
  },
  {
    tool: 'update_dataset_topic_description',
    label: 'a text',
    args: { environment: 'dev', topic_name: 'orders', description: 'Orders' },
    official: [{ method: 'PUT', path: `${E}/api/v1/datasets/kafka/orders/description`, body: { description: 'Orders' } }],
  },
  {
    tool: 'update_dataset_topic_description',
    label: '"" sends null',
    args: { environment: 'dev', topic_name: 'orders', description: '' },
    official: [{ method: 'PUT', path: `${E}/api/v1/datasets/kafka/orders/description`, body: { description: null } }],
  },
  {
    tool: 'update_dataset_topic_description',
    label: 'absent sends null',
    args: { environment: 'dev', topic_name: 'orders' },
    official: [{ method: 'PUT', path: `${E}/api/v1/datasets/kafka/orders/description`, body: { description: null } }],
  },
  {
    tool: 'update_dataset_topic_tags',
    label: 'tags',
    args: { environment: 'dev', topic_name: 'orders', tags: ['pii', 'gold'] },
    official: [{ method: 'PUT', path: `${E}/api/v1/datasets/kafka/orders/tags`, body: { tags: [{ name: 'pii' }, { name: 'gold' }] } }],
  },
  {
    tool: 'update_dataset_topic_tags',
    label: '[] clears them',
    args: { environment: 'dev', topic_name: 'orders', tags: [] },
    official: [{ method: 'PUT', path: `${E}/api/v1/datasets/kafka/orders/tags`, body: { tags: [] } }],
  },
];

/** Decoded query parameters in order. The official's Python `True`/`False` compares as `true`/`false`: a deliberate difference (see datasetQuery in src/mcp/tools/datasets.ts). */
function queryPairs(query: string, official: boolean): Array<[string, string]> {
  return [...new URLSearchParams(query)].map(([key, value]) => [key, official && (value === 'True' || value === 'False') ? value.toLowerCase() : value]);
}

/** Our recorded request in the official's terms: decoded query, parsed body (undefined when none was sent). */
function asOfficial(request: RecordedRequest) {
  return {
    method: request.method,
    path: request.path,
    query: queryPairs(request.query, false),
    body: request.body === '' ? undefined : (JSON.parse(request.body) as unknown),
  };
}

describe("HQ requests match the official server's, per tool (stand-in HQ on loopback)", function () {
  this.timeout(30_000);
  const API_KEY = 'official-requests-test-key';
  let hq: RecordingHq;
  let mcp: RunningMcpHttpServer;
  let client: Client;

  before(async () => {
    hq = await startRecordingHq();
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new ApiKeyAuthenticator(API_KEY, ALL_SCOPES),
      // Requests as the official server sends them: no confirmation step (and its tier lookup) in between.
      governance: fixedGovernance({ ...DEFAULT_RULES, protectedEnvironments: [] }),
    });
    client = new Client({ name: 'official-requests-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { Authorization: `Bearer ${API_KEY}` } } }));
  });
  after(async () => {
    await client?.close();
    await mcp?.close();
    await hq?.close();
  });

  it('has a case for every tool', () => {
    const covered = new Set(CASES.map((c) => c.tool));
    assert.deepEqual(
      LENSES_TOOLS.map((tool) => tool.name).filter((name) => !covered.has(name)),
      [],
    );
    assert.deepEqual(
      [...covered].filter((name) => !LENSES_TOOLS.some((tool) => tool.name === name)),
      [],
    );
  });

  it('differs on purpose: a value with & or = stays one query parameter (the official pastes it raw, adding parameters)', async () => {
    hq.take();
    const result = await client.callTool({ name: 'list_datasets', arguments: { environment: 'dev', search: 'a&pageSize=1000 b' } });
    assert.notEqual(result.isError, true);
    const [request] = hq.take();
    assert.deepEqual(queryPairs(request.query, false), [...queryPairs(DATASETS_DEFAULT_QUERY, true), ['search', 'a&pageSize=1000 b']]);
  });

  for (const { tool, label, args, official } of CASES) {
    it(`${tool}${label ? `: ${label}` : ''}`, async () => {
      hq.take();
      const result = await client.callTool({ name: tool, arguments: args });
      const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      assert.notEqual(result.isError, true, `${tool} failed: ${text}`);
      const recorded = hq.take();
      assert.deepEqual(
        recorded.map(asOfficial),
        official.map((request) => ({ method: request.method, path: request.path, query: queryPairs(request.query ?? '', true), body: request.body })),
      );
      for (const request of recorded) assert.equal(request.authorization, `Bearer ${API_KEY}`);
    });
  }
});
