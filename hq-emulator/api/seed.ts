import type { AgentData, BrokerRecord, EmulatorState, EnvironmentRecord, MessageRecord, PartitionRecord, TopicRecord } from './state';

/**
 * The seed data: deterministic (no clock, no randomness), so tests can name what they
 * expect. `dev` has a connected agent and a small shop's Kafka; `staging` is disconnected.
 *
 * dev topics: orders (3 partitions, 30 JSON records), payments (2, 12), customers
 * (1, compacted, 8), orders-enriched (3, 9), audit-log (1, empty), __consumer_offsets (system).
 * dev consumer groups: billing-service (Stable, 2 members), fraud-detector (Stable),
 * orders-archiver (Empty, lagging), analytics-loader (Empty).
 * dev connect cluster connect-main: orders-s3-sink (RUNNING), customers-jdbc-source
 * (RUNNING, task 0 FAILED), payments-file-sink (PAUSED).
 * dev SQL processors: orders-enricher (RUNNING, KUBERNETES), high-value-orders (FAILED).
 * dev approvals: 3 (Pending, Approved, Rejected).
 * `prod` (tier production, connected) is what protected-environment tests act on: topic
 * orders (1 partition, empty), connect cluster connect-prod with orders-sink (RUNNING).
 */

const BASE_TIME = Date.UTC(2026, 10, 1, 9, 0, 0); // 2026-11-01T09:00:00Z
const MINUTE = 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

const DEV_BROKERS: BrokerRecord[] = [1, 2, 3].map((id) => ({ id, host: `kafka-${id}.dev.internal`, port: 9092, rack: `eu-west-1${'abc'[id - 1]}` }));

function partitionsOf(count: number, replication: number, brokers: readonly BrokerRecord[]): PartitionRecord[] {
  return Array.from({ length: count }, (_, partition) => {
    const replicas = Array.from({ length: replication }, (_, r) => brokers[(partition + r) % brokers.length].id);
    return { partition, leader: replicas[0], replicas, beginOffset: 0, messages: [] };
  });
}

/** Spreads records over partitions by key, as Kafka's default partitioner would (roughly). */
function fill(partitions: PartitionRecord[], records: MessageRecord[]): PartitionRecord[] {
  for (const record of records) {
    const hash = [...(record.key ?? '')].reduce((sum, char) => sum + char.charCodeAt(0), 0);
    partitions[hash % partitions.length].messages.push(record);
  }
  return partitions;
}

function topic(name: string, fields: Partial<TopicRecord> & Pick<TopicRecord, 'partitions' | 'replication'>): TopicRecord {
  return {
    name,
    configs: {},
    keyType: 'STRING',
    valueType: 'JSON',
    keySchema: null,
    valueSchema: null,
    description: null,
    tags: [],
    additionalInfo: null,
    system: false,
    createdAt: iso(BASE_TIME - 30 * 24 * 60 * MINUTE),
    ...fields,
  };
}

const CURRENCIES = ['EUR', 'GBP', 'USD'];
const ORDER_STATUSES = ['PLACED', 'PAID', 'SHIPPED'];
const COUNTRIES = ['GB', 'GR', 'DE', 'US'];
const TIERS = ['gold', 'silver', 'bronze'];

function orderRecords(): MessageRecord[] {
  return Array.from({ length: 30 }, (_, i) => {
    const orderId = `ord-${String(1001 + i)}`;
    return {
      key: orderId,
      value: { orderId, customerId: `cust-${(i % 8) + 1}`, amount: 20 + ((i * 37) % 480), currency: CURRENCIES[i % 3], status: ORDER_STATUSES[i % 3] },
      timestamp: BASE_TIME + i * MINUTE,
    };
  });
}

function paymentRecords(): MessageRecord[] {
  return Array.from({ length: 12 }, (_, i) => ({
    key: `pay-${500 + i}`,
    value: {
      paymentId: `pay-${500 + i}`,
      orderId: `ord-${1001 + i}`,
      amount: 20 + ((i * 37) % 480),
      method: i % 2 === 0 ? 'card' : 'paypal',
      status: i === 7 ? 'DECLINED' : 'AUTHORISED',
    },
    timestamp: BASE_TIME + i * MINUTE + 20_000,
  }));
}

function customerRecords(): MessageRecord[] {
  const names = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth', 'Frances Allen', 'Tony Hoare'];
  return names.map((name, i) => ({
    key: `cust-${i + 1}`,
    value: { customerId: `cust-${i + 1}`, name, country: COUNTRIES[i % 4], tier: TIERS[i % 3] },
    timestamp: BASE_TIME - 24 * 60 * MINUTE + i * MINUTE,
  }));
}

function enrichedRecords(): MessageRecord[] {
  return orderRecords()
    .slice(0, 9)
    .map((record, i) => {
      const order = record.value as Record<string, unknown>;
      return { key: record.key, value: { ...order, customerTier: TIERS[i % 3], country: COUNTRIES[i % 4] }, timestamp: record.timestamp + 2_000 };
    });
}

const ORDER_SCHEMA = JSON.stringify({
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    customerId: { type: 'string' },
    amount: { type: 'number' },
    currency: { type: 'string' },
    status: { type: 'string' },
  },
});

function devData(): AgentData {
  const orders = topic('orders', {
    replication: 3,
    partitions: fill(partitionsOf(3, 3, DEV_BROKERS), orderRecords()),
    configs: { 'retention.ms': '604800000', 'min.insync.replicas': '2' },
    valueSchema: ORDER_SCHEMA,
    description: 'Orders placed on the web shop, one record per order event.',
    tags: ['sales', 'pii'],
  });
  // Retention already removed the first records of partition 0.
  orders.partitions[0].beginOffset = 5;
  return {
    brokers: DEV_BROKERS,
    topics: [
      orders,
      topic('payments', {
        replication: 3,
        partitions: fill(partitionsOf(2, 3, DEV_BROKERS), paymentRecords()),
        description: 'Payment authorisations from the payment gateway.',
        tags: ['finance'],
      }),
      topic('customers', {
        replication: 3,
        partitions: fill(partitionsOf(1, 3, DEV_BROKERS), customerRecords()),
        configs: { 'cleanup.policy': 'compact' },
        description: 'Customer profiles, compacted by customer id.',
        tags: ['pii', 'reference-data'],
      }),
      topic('orders-enriched', {
        replication: 3,
        partitions: fill(partitionsOf(3, 3, DEV_BROKERS), enrichedRecords()),
        description: 'Orders joined with the customer tier by the orders-enricher processor.',
        tags: ['sales'],
      }),
      topic('audit-log', { replication: 2, partitions: partitionsOf(1, 2, DEV_BROKERS), configs: { 'retention.ms': '2592000000' } }),
      topic('__consumer_offsets', {
        replication: 3,
        partitions: partitionsOf(3, 3, DEV_BROKERS),
        configs: { 'cleanup.policy': 'compact' },
        keyType: 'BYTES',
        valueType: 'BYTES',
        system: true,
      }),
    ],
    consumerGroups: [
      {
        id: 'billing-service',
        coordinator: 1,
        members: [
          {
            memberId: 'billing-service-1-6f1d',
            clientId: 'billing-service-1',
            host: '/10.0.1.21',
            assignments: [
              { topic: 'orders', partition: 0 },
              { topic: 'orders', partition: 1 },
            ],
          },
          { memberId: 'billing-service-2-93ab', clientId: 'billing-service-2', host: '/10.0.1.22', assignments: [{ topic: 'orders', partition: 2 }] },
        ],
        offsets: [],
      },
      {
        id: 'fraud-detector',
        coordinator: 2,
        members: [
          {
            memberId: 'fraud-detector-1-0c2e',
            clientId: 'fraud-detector',
            host: '/10.0.2.7',
            assignments: [
              { topic: 'payments', partition: 0 },
              { topic: 'payments', partition: 1 },
            ],
          },
        ],
        offsets: [],
      },
      { id: 'orders-archiver', coordinator: 3, members: [], offsets: [] },
      { id: 'analytics-loader', coordinator: 1, members: [], offsets: [] },
    ],
    connectClusters: [
      {
        name: 'connect-main',
        version: '3.7.1',
        workers: ['connect-0.dev.internal:8083', 'connect-1.dev.internal:8083'],
        connectors: [
          {
            name: 'orders-s3-sink',
            className: 'io.lenses.streamreactor.connect.aws.s3.sink.S3SinkConnector',
            type: 'sink',
            status: 'RUNNING',
            tasks: [
              { id: 0, status: 'RUNNING', workerId: 'connect-0.dev.internal:8083', trace: null },
              { id: 1, status: 'RUNNING', workerId: 'connect-1.dev.internal:8083', trace: null },
            ],
            configuration: {
              'connector.class': 'io.lenses.streamreactor.connect.aws.s3.sink.S3SinkConnector',
              'tasks.max': '2',
              topics: 'orders',
              'connect.s3.kcql': "INSERT INTO shop-archive:orders SELECT * FROM orders STOREAS 'JSON'",
              'connect.s3.aws.region': 'eu-west-1',
            },
            createdAt: iso(BASE_TIME - 10 * 24 * 60 * MINUTE),
          },
          {
            name: 'customers-jdbc-source',
            className: 'io.confluent.connect.jdbc.JdbcSourceConnector',
            type: 'source',
            status: 'RUNNING',
            tasks: [
              {
                id: 0,
                status: 'FAILED',
                workerId: 'connect-1.dev.internal:8083',
                trace:
                  'org.apache.kafka.connect.errors.ConnectException: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n\tat io.confluent.connect.jdbc.source.JdbcSourceTask.poll(JdbcSourceTask.java:412)',
              },
            ],
            configuration: {
              'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
              'tasks.max': '1',
              'connection.url': 'jdbc:postgresql://crm-db.dev.internal:5432/crm',
              'topic.prefix': 'crm-',
              mode: 'timestamp',
              'timestamp.column.name': 'updated_at',
            },
            createdAt: iso(BASE_TIME - 9 * 24 * 60 * MINUTE),
          },
          {
            name: 'payments-file-sink',
            className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
            type: 'sink',
            status: 'PAUSED',
            tasks: [{ id: 0, status: 'PAUSED', workerId: 'connect-0.dev.internal:8083', trace: null }],
            configuration: {
              'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
              'tasks.max': '1',
              topics: 'payments',
              file: '/data/payments.jsonl',
            },
            createdAt: iso(BASE_TIME - 3 * 24 * 60 * MINUTE),
          },
        ],
      },
    ],
    processors: [
      {
        id: 'orders-enricher',
        name: 'orders-enricher',
        sql: 'SET defaults.topic.autocreate=true;\nINSERT INTO orders-enriched\nSELECT STREAM o.*, c.tier AS customerTier, c.country\nFROM orders AS o INNER JOIN customers AS c ON o.customerId = c._key;',
        description: 'Adds the customer tier and country to every order.',
        tags: ['sales'],
        deployment: { mode: 'KUBERNETES', details: { runners: 1, cluster: 'incluster', namespace: 'lenses-apps' } },
        status: 'RUNNING',
        inputTopics: ['orders', 'customers'],
        outputTopics: ['orders-enriched'],
        runners: ['orders-enricher-7d9f8c6b5-x2k4q'],
        lastActionMessage: null,
        createdAt: iso(BASE_TIME - 7 * 24 * 60 * MINUTE),
        createdBy: 'alice@example.com',
      },
      {
        id: 'high-value-orders',
        name: 'high-value-orders',
        sql: 'INSERT INTO high-value-orders\nSELECT STREAM * FROM orders WHERE amount > 400;',
        description: 'Orders above 400 for the fraud team.',
        tags: ['fraud'],
        deployment: { mode: 'KUBERNETES', details: { runners: 1, cluster: 'incluster', namespace: 'lenses-apps' } },
        status: 'FAILED',
        inputTopics: ['orders'],
        outputTopics: ['high-value-orders'],
        runners: ['high-value-orders-5c7b9d4f8-q8m2z'],
        lastActionMessage: "Topic 'high-value-orders' does not exist and topic auto-creation is disabled",
        createdAt: iso(BASE_TIME - 2 * 24 * 60 * MINUTE),
        createdBy: 'bob@example.com',
      },
    ],
    approvals: [
      approval(
        '2b7c5a1e-8f3d-4c6a-9e21-5d4f3a2b1c01',
        'invoices',
        'Pending',
        'Invoice records from the billing app',
        'carol@example.com',
        BASE_TIME - 60 * MINUTE,
        ['billing'],
      ),
      approval(
        '7e4d2c1b-3a5f-4b8e-8d90-1f2e3d4c5b02',
        'shipments',
        'Approved',
        'Shipment tracking events from the warehouse',
        'dave@example.com',
        BASE_TIME - 3 * 24 * 60 * MINUTE,
        ['logistics'],
      ),
      approval('c3a1f9e8-6d2b-4a7c-b5e4-9a8b7c6d5e03', 'tmp-test', 'Rejected', 'Quick test', 'erin@example.com', BASE_TIME - 5 * 24 * 60 * MINUTE, []),
    ],
    deploymentTargets: {
      kubernetes: [{ cluster: 'incluster', namespaces: ['lenses-apps', 'ai-agent'] }],
      connect: [{ cluster: 'connect-main', version: '3.7.1' }],
    },
    podLogs: {
      'incluster/lenses-apps/orders-enricher-7d9f8c6b5-x2k4q': [
        '2026-11-01T08:00:01.120Z INFO  [main] Lenses SQL processor orders-enricher starting (runner 1 of 1)',
        '2026-11-01T08:00:02.480Z INFO  [main] Subscribed to topics: orders, customers',
        '2026-11-01T08:00:03.015Z INFO  [stream-thread-1] State transition from REBALANCING to RUNNING',
        '2026-11-01T09:30:00.000Z INFO  [stream-thread-1] Processed 30 records, 0 errors',
      ],
      'incluster/lenses-apps/high-value-orders-5c7b9d4f8-q8m2z': [
        '2026-10-30T09:00:01.002Z INFO  [main] Lenses SQL processor high-value-orders starting (runner 1 of 1)',
        "2026-10-30T09:00:02.310Z ERROR [main] Topic 'high-value-orders' does not exist and topic auto-creation is disabled",
        '2026-10-30T09:00:02.311Z ERROR [main] Processor stopped: FAILED',
      ],
    },
  };
}

function approval(
  id: string,
  entityName: string,
  status: 'Pending' | 'Approved' | 'Rejected',
  reason: string,
  createdBy: string,
  createdAt: number,
  tags: string[],
): AgentData['approvals'][number] {
  const reviewed = status !== 'Pending';
  return {
    id,
    type: 'CreateNewEntity',
    entityType: 'KafkaTopic',
    entityName,
    approvalStatus: status,
    settings: {
      partitions: 3,
      replication: 3,
      topicConfig: { 'retention.ms': '604800000' },
      capacity: { recordsSize: 512, dataProducedPerDay: null, consumers: 2 },
    },
    metadata: { reason, tags },
    createdBy,
    createdAt: iso(createdAt),
    reviewedBy: reviewed ? 'platform-admin@example.com' : null,
    reviewedAt: reviewed ? iso(createdAt + 90 * MINUTE) : null,
    reviewComment: status === 'Rejected' ? 'Use the shared test topic instead.' : null,
  };
}

/** Committed offsets: how far each group has read (lag = end offset - committed). */
function commitOffsets(data: AgentData): void {
  const group = (id: string) => data.consumerGroups.find((g) => g.id === id);
  const topicNamed = (name: string) => data.topics.find((t) => t.name === name);
  const commit = (groupId: string, topicName: string, behind: (partition: number) => number) => {
    const found = topicNamed(topicName);
    if (!found) return;
    for (const partition of found.partitions) {
      const end = partition.beginOffset + partition.messages.length;
      group(groupId)?.offsets.push({
        topic: topicName,
        partition: partition.partition,
        offset: Math.max(partition.beginOffset, end - behind(partition.partition)),
      });
    }
  };
  commit('billing-service', 'orders', (p) => p);
  commit('fraud-detector', 'payments', () => 0);
  commit('orders-archiver', 'orders', () => 6);
  commit('analytics-loader', 'orders', () => 2);
  commit('analytics-loader', 'customers', () => 0);
}

function environment(name: string, fields: Omit<EnvironmentRecord, 'name'>): EnvironmentRecord {
  return { name, ...fields };
}

function emptyData(): AgentData {
  return {
    brokers: [],
    topics: [],
    consumerGroups: [],
    connectClusters: [],
    processors: [],
    approvals: [],
    deploymentTargets: { kubernetes: [], connect: [] },
    podLogs: {},
  };
}

/** Agent data for an environment created through the API: a one-broker cluster, nothing else. */
export function newEnvironmentData(): AgentData {
  return { ...emptyData(), brokers: [{ id: 1, host: 'kafka-1', port: 9092, rack: null }] };
}

/** The production environment's agent: small, only what confirmation tests need. */
function prodData(): AgentData {
  const brokers: BrokerRecord[] = [{ id: 1, host: 'kafka-1.prod.internal', port: 9092, rack: null }];
  const sink = { 'connector.class': 'io.lenses.streamreactor.connect.aws.s3.sink.S3SinkConnector', 'tasks.max': '1', topics: 'orders' };
  return {
    ...emptyData(),
    brokers,
    topics: [topic('orders', { replication: 1, partitions: partitionsOf(1, 1, brokers), description: 'Production orders.' })],
    connectClusters: [
      {
        name: 'connect-prod',
        version: '3.7.1',
        workers: ['connect-0.prod.internal:8083'],
        connectors: [
          {
            name: 'orders-sink',
            className: sink['connector.class'],
            type: 'sink',
            status: 'RUNNING',
            tasks: [{ id: 0, status: 'RUNNING', workerId: 'connect-0.prod.internal:8083', trace: null }],
            configuration: sink,
            createdAt: iso(BASE_TIME - 20 * 24 * 60 * MINUTE),
          },
        ],
      },
    ],
  };
}

/** A fresh copy of the seed data. */
export function seedState(): EmulatorState {
  const dev = devData();
  commitOffsets(dev);
  const staging = emptyData();
  staging.brokers = [1, 2, 3].map((id) => ({ id, host: `kafka-${id}.staging.internal`, port: 9092, rack: null }));
  return {
    version: 1,
    environments: [
      environment('dev', {
        display_name: 'Development',
        id: '5f0c3a2e-1b4d-4e8f-9a6c-2d7e1f3b4a01',
        created_at: iso(BASE_TIME - 60 * 24 * 60 * MINUTE),
        tier: 'development',
        metadata: { owner: 'platform-team', region: 'eu-west-1' },
        agent: { connected: true, version: '6.1.0', last_seen: iso(BASE_TIME + 30 * MINUTE) },
        data: dev,
      }),
      environment('staging', {
        display_name: 'Staging',
        id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c02',
        created_at: iso(BASE_TIME - 45 * 24 * 60 * MINUTE),
        tier: 'staging',
        metadata: { owner: 'platform-team', region: 'eu-west-1' },
        agent: { connected: false, version: '6.0.4', last_seen: iso(BASE_TIME - 2 * 24 * 60 * MINUTE) },
        data: staging,
      }),
      environment('prod', {
        display_name: 'Production',
        id: '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b03',
        created_at: iso(BASE_TIME - 90 * 24 * 60 * MINUTE),
        tier: 'production',
        metadata: { owner: 'platform-team', region: 'eu-west-1' },
        agent: { connected: true, version: '6.1.0', last_seen: iso(BASE_TIME + 30 * MINUTE) },
        data: prodData(),
      }),
    ],
  };
}
