/**
 * Example answers transcribed from Lenses' published API reference (values as the reference's
 * examples show them, shortened where the page is cut off), one per version where they differ.
 * The URL of each is next to it.
 */

/** https://docs.lenses.io/latest/api-reference/reference/oauth2 (6.2): every key required. */
export const CONNECTED_APPS_62 = {
  items: [
    {
      grant_id: 'grant-1',
      grant_issued_at: '2026-11-01T10:00:00Z',
      app_name: 'claude-desktop',
      app_display_name: 'Claude',
      app_client_id: 'c1',
      app_provenance: 'dcr',
      scope: ['read'],
    },
    {
      grant_id: 'grant-2',
      grant_issued_at: '2026-11-02T10:00:00Z',
      app_name: 'ci-bot',
      app_display_name: '',
      app_client_id: 'ci',
      app_provenance: 'api',
      scope: ['read', 'write'],
    },
  ],
};

/**
 * https://docs.lenses.io/latest/api-reference/6.3/reference/oauth2 (6.3): `authorization_*`
 * added, `grant_*` kept (deprecated). The page is cut off after `authorization_issued_at`, so
 * the second item carries only what is visible.
 */
export const CONNECTED_APPS_63 = {
  items: [
    {
      authorization_id: 'auth-1',
      authorization_issued_at: '2026-11-01T10:00:00Z',
      grant_id: 'grant-1',
      grant_issued_at: '2026-11-01T10:00:00Z',
      app_name: 'claude-desktop',
      app_display_name: 'Claude',
      app_client_id: 'c1',
      app_provenance: 'dcr',
      scope: ['read'],
    },
    { authorization_id: 'auth-2', authorization_issued_at: '2026-11-02T10:00:00Z', grant_id: 'grant-2', grant_issued_at: '2026-11-02T10:00:00Z' },
  ],
};

/** https://docs.lenses.io/latest/api-reference/reference/kafka-connect — `{data: HttpConnectorListItem[]}`. */
export const CONNECTORS = {
  data: [
    {
      name: 'orders-s3-sink',
      lrn: 'lrn:kafka-connect:connect-main/orders-s3-sink',
      cluster: 'connect-main',
      state: 'RUNNING',
      tasks: [
        { id: 0, state: 'RUNNING' },
        { id: 1, state: 'FAILED' },
      ],
      className: 'io.lenses.streamreactor.connect.aws.s3.sink.S3SinkConnector',
      type: 'sink',
      author: 'Lenses.io',
      icon: 's3.png',
    },
    { name: 'customers-jdbc-source', lrn: 'lrn:kafka-connect:connect-main/customers-jdbc-source', cluster: 'connect-main', state: 'PAUSED', tasks: [] },
  ],
};

/** https://docs.lenses.io/latest/api-reference/reference/sql-streaming — `{processors: HttpGetSqlProcessorApiResponse[]}`. */
export const PROCESSORS = {
  processors: [
    {
      id: 'p-2',
      application: {
        name: 'orders-enricher',
        processorId: 'p-2',
        lrn: 'lrn:sql-processor:p-2',
        sql: 'INSERT INTO enriched SELECT STREAM * FROM orders',
        inputTopics: [{ name: 'orders', keyFormat: 'STRING', valueFormat: 'TWAVRO' }],
        outputTopics: [{ name: 'enriched', keyFormat: 'STRING', valueFormat: 'TWAVRO' }],
        otherSettings: {},
      },
      metadata: { description: 'Enriches orders', tags: ['sales'], createdBy: 'admin', createdAt: '2026-11-01T10:00:00Z', processorType: 'PreDaD' },
      deployment: {
        details: { replicas: 1, cluster: 'incluster', namespace: 'apps', labels: {}, otherSettings: {} },
        status: { level: 'NOT_RUNNING', startedAt: '2026-11-01T10:00:00Z', replicas: [{ id: 'r0', status: 'STOPPED', msg: '' }] },
      },
      coverage: 'full',
    },
    {
      id: 'p-1',
      application: { name: 'audit-copy', processorId: 'p-1', lrn: 'lrn:sql-processor:p-1', otherSettings: {} },
      metadata: { description: '', tags: [], createdBy: 'admin', createdAt: '2026-11-01T10:00:00Z', processorType: 'PreDaD' },
      deployment: { details: {}, status: { level: 'RUNNING' } },
      coverage: 'full',
    },
  ],
};

/** lenses-go pkg/api/consumers_client.go (the 6.x reference shows no body for the consumer-group routes). */
export const CONSUMER_GROUPS = [
  {
    id: 'billing-service',
    coordinator: { id: 1, host: 'broker-1', port: 9092, rack: null },
    active: true,
    state: 'Stable',
    consumers: [],
    consumersCount: 2,
    topicPartitionsCount: 3,
    minLag: 0,
    maxLag: 12,
  },
];

/** https://docs.lenses.io/latest/api-reference/reference/environments — `hq_EnvironmentList` with the example's `status`. */
export const ENVIRONMENTS = {
  items: [
    {
      name: 'prod',
      display_name: 'Production',
      lrn: 'lrn:environment:prod',
      id: 'e-1',
      created_at: '2026-11-01T10:00:00Z',
      tier: 'production',
      status: {
        agent_connected: true,
        agent: {
          updated_at: '2026-12-01T10:00:00Z',
          roundtrip_duration: 4,
          agent: { hostname: 'agent-0', version: '6.2.1', protocol_version: 1, capabilities: { metrics: true, k2k: false, publish: true } },
          metrics: {
            kafka: { version: '3.9.0', num_brokers: 3, updated_at: '2026-12-01T10:00:00Z' },
            data: { num_topics: 42, num_partitions: 120, num_schemas: 7, num_policies: 1 },
            apps: { num_consumers: 9 },
            connect: { num_connectors: 4 },
            other: { num_issues: 2 },
          },
        },
      },
    },
  ],
};

/** https://docs.lenses.io/latest/api-reference/reference/models — `hq_Error`. */
export const HQ_ERROR = {
  type: 'validation_error',
  title: 'The request is not valid',
  status: 400,
  invalid_fields: [{ name: 'tier', error: 'reference_not_found', title: 'Unknown tier' }],
  request_id: 'req-1',
};

/** https://docs.lenses.io/latest/api-reference/reference/sql-streaming — `agent_BadRequest` (a SQL error with line and column). */
export const AGENT_BAD_REQUEST = {
  error: 'Invalid SQL',
  errorType: 'SqlValidation',
  fields: [{ field: 'sql', error: "Unknown topic 'ordrs'", lineNumber: 1, columnNumber: 35 }],
};

/** https://docs.lenses.io/latest/api-reference/reference/agentproxy (6.2) — `agent_Results`. */
export const DATASETS = {
  datasets: {
    values: [
      {
        name: 'orders',
        sourceType: 'Kafka',
        connectionName: 'kafka',
        recordsPerSecond: 3,
        keyType: 'STRING',
        valueType: 'AVRO',
        replication: 3,
        consumers: 2,
        partitions: 6,
        isSystemEntity: false,
        isMarkedForDeletion: false,
        records: 1200,
        highlights: [],
      },
    ],
    pagesAmount: 1,
    totalCount: 1,
  },
  sourceTypes: ['Kafka'],
};

/** https://docs.lenses.io/latest/api-reference/reference/approvals — `agent_Page_Request`. */
export const APPROVALS = {
  values: [
    {
      id: '6f1d2b7e-1b0a-4c1e-9a57-2b4b8c0f3a11',
      entityName: 'shipments',
      type: 'Create',
      entityType: 'KafkaTopic',
      settings: { replication: 3, partitions: 6, topicConfig: {}, capacity: { recordsSize: 1024, dataProducedPerDay: 10, consumers: 2 } },
      metadata: { reason: 'new service', tags: [] },
      createdAt: '2026-11-01T10:00:00Z',
      createdBy: 'admin',
      approvalStatus: 'Pending',
      defaultTopicConfig: {},
    },
  ],
  pagesAmount: 1,
  totalCount: 1,
};

/** lenses-go pkg/api/client.go `Topic` (no 6.x reference page for topics). */
export const TOPICS = [{ topicName: 'orders', keyType: 'STRING', valueType: 'AVRO', partitions: 6, replication: 3, tags: [{ name: 'sales' }], config: [] }];
