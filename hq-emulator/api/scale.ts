import { seedState } from './seed';
import type {
  AgentData,
  ApprovalRecord,
  BrokerRecord,
  ConnectClusterRecord,
  ConnectorRecord,
  ConsumerGroupRecord,
  EmulatorState,
  MessageRecord,
  PartitionRecord,
  ProcessorRecord,
  TopicRecord,
} from './state';

/**
 * `--scale N`: the seed data plus a connected environment `prod` the size of a production
 * estate: N topics (names across domains, partitions, configs, records, tags), about N/4
 * consumer groups with lag, N/20 connectors with tasks (some failed), N/100 SQL processors,
 * and one wide topic `clickstream.page-views` with 10·N records for `execute_sql`.
 * Deterministic (no clock, no randomness): `scaledTopicName(i)` names topic i.
 * Built in well under a second for N = 10,000 (start-up must stay < 5 s).
 */

export const SCALED_ENVIRONMENT = 'prod';
/** The topic with 10·N records (100,000 at N = 10,000). */
export const WIDE_TOPIC = 'clickstream.page-views';
/** The largest N accepted. */
export const MAX_SCALE = 200_000;

const DOMAINS = ['orders', 'payments', 'customers', 'inventory', 'shipping', 'marketing', 'fraud', 'analytics', 'iot', 'billing'];
const EVENTS = ['created', 'updated', 'deleted', 'snapshots', 'audit', 'enriched', 'errors', 'refunds', 'metrics', 'changes'];
const REGIONS = ['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south'];
const TAGS = ['pii', 'finance', 'sales', 'ops', 'gdpr', 'reference-data', 'streaming', 'batch'];
const VALUE_TYPES = ['JSON', 'AVRO', 'JSON', 'PROTOBUF', 'STRING'];
const BASE_TIME = Date.UTC(2026, 10, 1, 9, 0, 0);
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The name of generated topic `index` (0-based): `<domain>.<event>.<region>.v<k>`, unique for every index. */
export function scaledTopicName(index: number): string {
  const domain = DOMAINS[index % DOMAINS.length];
  const event = EVENTS[Math.floor(index / DOMAINS.length) % EVENTS.length];
  const region = REGIONS[Math.floor(index / (DOMAINS.length * EVENTS.length)) % REGIONS.length];
  const version = Math.floor(index / (DOMAINS.length * EVENTS.length * REGIONS.length)) + 1;
  return `${domain}.${event}.${region}.v${version}`;
}

/** The name of generated consumer group `index`. */
export function scaledGroupName(index: number): string {
  return `${DOMAINS[index % DOMAINS.length]}-${['service', 'loader', 'archiver', 'indexer', 'detector'][Math.floor(index / DOMAINS.length) % 5]}-${index}`;
}

/** The seed data with its small `prod` environment replaced by one of `scale` topics. */
export function scaledState(scale: number): EmulatorState {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) throw new RangeError(`scale must be a whole number from 1 to ${MAX_SCALE}, not ${scale}`);
  const state = seedState();
  state.environments = state.environments.filter((environment) => environment.name !== SCALED_ENVIRONMENT);
  state.environments.push({
    name: SCALED_ENVIRONMENT,
    display_name: 'Production',
    id: '0d4c3b2a-9f8e-4d7c-8b6a-5f4e3d2c1b03',
    created_at: iso(BASE_TIME - 400 * 24 * 60 * MINUTE),
    tier: 'production',
    metadata: { owner: 'platform-team', region: 'eu-west-1', scale },
    agent: { connected: true, version: '6.1.0', last_seen: iso(BASE_TIME + 30 * MINUTE) },
    data: scaledData(scale),
  });
  return state;
}

function scaledData(scale: number): AgentData {
  const brokers: BrokerRecord[] = Array.from({ length: 6 }, (_, i) => ({
    id: i + 1,
    host: `kafka-${i + 1}.prod.internal`,
    port: 9092,
    rack: `eu-west-1${'abc'[i % 3]}`,
  }));
  const topics = Array.from({ length: scale }, (_, index) => generatedTopic(index, brokers));
  topics.push(wideTopic(scale * 10, brokers));
  const consumerGroups = Array.from({ length: Math.max(1, Math.floor(scale / 4)) }, (_, index) => generatedGroup(index, topics, brokers, scale));
  const connectClusters = generatedConnect(Math.max(1, Math.floor(scale / 20)), scale);
  const processors = Array.from({ length: Math.max(1, Math.floor(scale / 100)) }, (_, index) => generatedProcessor(index, scale));
  const podLogs: Record<string, string[]> = {};
  for (const processor of processors) {
    if (processor.deployment.mode !== 'KUBERNETES') continue;
    podLogs[`prod-k8s/streaming/${processor.runners[0]}`] = processorLog(processor);
  }
  return {
    brokers,
    topics,
    consumerGroups,
    connectClusters,
    processors,
    approvals: generatedApprovals(),
    deploymentTargets: {
      kubernetes: [{ cluster: 'prod-k8s', namespaces: ['streaming', 'ai-agent'] }],
      connect: connectClusters.map((c) => ({ cluster: c.name, version: c.version })),
    },
    podLogs,
  };
}

function partitions(count: number, replication: number, brokers: readonly BrokerRecord[], offset: number): PartitionRecord[] {
  return Array.from({ length: count }, (_, partition) => {
    const replicas = Array.from({ length: replication }, (_, r) => brokers[(partition + offset + r) % brokers.length].id);
    return { partition, leader: replicas[0], replicas, beginOffset: 0, messages: [] };
  });
}

function generatedTopic(index: number, brokers: readonly BrokerRecord[]): TopicRecord {
  const name = scaledTopicName(index);
  const partitionCount = [1, 3, 6, 12, 24][index % 5];
  const replication = index % 7 === 0 ? 2 : 3;
  const parts = partitions(partitionCount, replication, brokers, index);
  // A few retained records per topic (0-9), keyed, so record counts and lag vary.
  const records = index % 10;
  for (let i = 0; i < records; i++) {
    const part = parts[i % parts.length];
    part.messages.push({ key: `${name}-${i}`, value: { id: i, source: name }, timestamp: BASE_TIME + i * MINUTE });
  }
  parts[0].beginOffset = (index * 37) % 1000;
  const tags = [TAGS[index % TAGS.length], ...(index % 3 === 0 ? [TAGS[(index + 3) % TAGS.length]] : [])];
  return {
    name,
    replication,
    partitions: parts,
    configs: index % 4 === 0 ? { 'cleanup.policy': 'compact' } : { 'retention.ms': String((1 + (index % 14)) * 86_400_000) },
    keyType: 'STRING',
    valueType: VALUE_TYPES[index % VALUE_TYPES.length],
    keySchema: null,
    valueSchema: null,
    description: index % 2 === 0 ? `${name.split('.')[1]} events of the ${name.split('.')[0]} domain (${name.split('.')[2]}).` : null,
    tags,
    additionalInfo: null,
    system: false,
    createdAt: iso(BASE_TIME - (index % 365) * 24 * 60 * MINUTE),
  };
}

/** One topic with `count` small JSON records over 6 partitions, in time order. */
function wideTopic(count: number, brokers: readonly BrokerRecord[]): TopicRecord {
  const parts = partitions(6, 3, brokers, 0);
  for (let i = 0; i < count; i++) {
    const message: MessageRecord = {
      key: `session-${i % 5000}`,
      value: { page: `/products/${i % 997}`, userId: `user-${i % 20011}`, durationMs: (i * 31) % 9000 },
      timestamp: BASE_TIME + i * 100,
    };
    parts[i % 6].messages.push(message);
  }
  return {
    name: WIDE_TOPIC,
    replication: 3,
    partitions: parts,
    configs: { 'retention.ms': '86400000' },
    keyType: 'STRING',
    valueType: 'JSON',
    keySchema: null,
    valueSchema: null,
    description: 'Page views from the web shop, one record per view.',
    tags: ['analytics', 'streaming'],
    additionalInfo: null,
    system: false,
    createdAt: iso(BASE_TIME - 90 * 24 * 60 * MINUTE),
  };
}

function generatedGroup(index: number, topics: readonly TopicRecord[], brokers: readonly BrokerRecord[], scale: number): ConsumerGroupRecord {
  const id = scaledGroupName(index);
  const read = [topics[(index * 4) % scale], ...(index % 3 === 0 ? [topics[(index * 4 + 1) % scale]] : [])];
  const active = index % 2 === 0;
  const offsets = read.flatMap((topic) =>
    topic.partitions.map((partition) => {
      const end = partition.beginOffset + partition.messages.length;
      const behind = (index + partition.partition) % 3;
      return { topic: topic.name, partition: partition.partition, offset: Math.max(partition.beginOffset, end - behind) };
    }),
  );
  const members = active
    ? [
        {
          memberId: `${id}-1-${(index * 7919).toString(16).slice(-4)}`,
          clientId: `${id}-1`,
          host: `/10.${index % 250}.0.1`,
          assignments: read.flatMap((topic) => topic.partitions.map((p) => ({ topic: topic.name, partition: p.partition }))),
        },
      ]
    : [];
  return { id, coordinator: brokers[index % brokers.length].id, members, offsets };
}

function generatedConnect(count: number, scale: number): ConnectClusterRecord[] {
  const clusters: ConnectClusterRecord[] = ['connect-eu', 'connect-us', 'connect-analytics'].map((name) => ({
    name,
    version: '3.7.1',
    workers: [0, 1, 2].map((w) => `${name}-${w}.prod.internal:8083`),
    connectors: [],
  }));
  for (let index = 0; index < count; index++) {
    const cluster = clusters[index % clusters.length];
    const topic = scaledTopicName((index * 20) % scale);
    const sink = index % 3 !== 0;
    const failed = index % 10 === 7;
    const className = sink ? 'io.lenses.streamreactor.connect.aws.s3.sink.S3SinkConnector' : 'io.confluent.connect.jdbc.JdbcSourceConnector';
    const taskCount = 1 + (index % 3);
    const connector: ConnectorRecord = {
      name: `${topic.replace(/\./g, '-')}-${sink ? 's3-sink' : 'jdbc-source'}`,
      className,
      type: sink ? 'sink' : 'source',
      status: index % 17 === 5 ? 'PAUSED' : 'RUNNING',
      tasks: Array.from({ length: taskCount }, (_, id) => ({
        id,
        status: failed && id === 0 ? ('FAILED' as const) : index % 17 === 5 ? ('PAUSED' as const) : ('RUNNING' as const),
        workerId: cluster.workers[(index + id) % cluster.workers.length],
        trace: failed && id === 0 ? 'org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.' : null,
      })),
      configuration: sink
        ? {
            'connector.class': className,
            'tasks.max': String(taskCount),
            topics: topic,
            'connect.s3.kcql': `INSERT INTO archive:${topic} SELECT * FROM ${topic} STOREAS 'JSON'`,
          }
        : {
            'connector.class': className,
            'tasks.max': String(taskCount),
            'connection.url': 'jdbc:postgresql://db.prod.internal:5432/app',
            'topic.prefix': `${topic}-`,
          },
      createdAt: iso(BASE_TIME - (index % 200) * 24 * 60 * MINUTE),
    };
    cluster.connectors.push(connector);
  }
  return clusters;
}

function generatedProcessor(index: number, scale: number): ProcessorRecord {
  const input = scaledTopicName((index * 100) % scale);
  const output = `${input}.processed`;
  const id = `${input.replace(/\./g, '-')}-processor`;
  const status = index % 9 === 4 ? 'FAILED' : 'RUNNING';
  return {
    id,
    name: id,
    sql: `SET defaults.topic.autocreate=true;\nINSERT INTO ${output}\nSELECT STREAM * FROM ${input} WHERE _value.id > 0;`,
    description: `Filters ${input}.`,
    tags: ['streaming'],
    deployment: index % 2 === 0 ? { mode: 'KUBERNETES', details: { runners: 1, cluster: 'prod-k8s', namespace: 'streaming' } } : { mode: 'IN_PROC' },
    status,
    inputTopics: [input],
    outputTopics: [output],
    runners: [`${id}-${(index * 104729).toString(36).slice(-5)}`],
    lastActionMessage: status === 'FAILED' ? `Topic '${output}' does not exist and topic auto-creation is disabled` : null,
    createdAt: iso(BASE_TIME - (index % 60) * 24 * 60 * MINUTE),
    createdBy: 'platform-admin@example.com',
  };
}

/** A long log (2,000 lines) for the first processor's pod, a short one for the others. */
function processorLog(processor: ProcessorRecord): string[] {
  const lines = [`2026-11-01T08:00:01.000Z INFO  [main] Lenses SQL processor ${processor.name} starting (runner 1 of 1)`];
  const count = processor.id.startsWith(scaledTopicName(0).replace(/\./g, '-')) ? 2000 : 20;
  for (let i = 1; i < count; i++) {
    const level = i % 250 === 0 ? 'WARN ' : 'INFO ';
    lines.push(
      `2026-11-01T${String(8 + (Math.floor(i / 3600) % 16)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z ${level} [stream-thread-1] Processed ${i * 100} records, 0 errors`,
    );
  }
  return lines;
}

function generatedApprovals(): ApprovalRecord[] {
  return Array.from({ length: 30 }, (_, index) => {
    const status = (['Pending', 'Approved', 'Rejected'] as const)[index % 3];
    return {
      id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      type: 'CreateNewEntity',
      entityType: 'KafkaTopic',
      entityName: `requested.topic-${index}`,
      approvalStatus: status,
      settings: { partitions: 3, replication: 3, capacity: { recordsSize: 512, dataProducedPerDay: null, consumers: 1 } },
      metadata: { reason: `Needed by team ${index % 5}`, tags: [] },
      createdBy: 'carol@example.com',
      createdAt: iso(BASE_TIME - index * 60 * MINUTE),
      reviewedBy: status === 'Pending' ? null : 'platform-admin@example.com',
      reviewedAt: status === 'Pending' ? null : iso(BASE_TIME - index * 60 * MINUTE + 30 * MINUTE),
      reviewComment: status === 'Rejected' ? 'Use an existing topic.' : null,
    };
  });
}
