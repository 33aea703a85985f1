import { notFound } from './http';

/**
 * The emulator's whole state: plain JSON data, so `snapshot()` is a deep copy and a
 * snapshot can seed a later run. Handlers mutate it in place.
 */
export interface EmulatorState {
  version: 1;
  environments: EnvironmentRecord[];
}

export type Tier = 'development' | 'staging' | 'production';

export interface EnvironmentRecord {
  name: string;
  display_name: string;
  id: string;
  created_at: string;
  tier: Tier;
  metadata: Record<string, unknown>;
  agent: AgentStatus;
  /** What the environment's agent serves through `/proxy/...`. */
  data: AgentData;
}

export interface AgentStatus {
  connected: boolean;
  version: string | null;
  last_seen: string | null;
}

export interface AgentData {
  brokers: BrokerRecord[];
  topics: TopicRecord[];
  consumerGroups: ConsumerGroupRecord[];
  connectClusters: ConnectClusterRecord[];
  processors: ProcessorRecord[];
  approvals: ApprovalRecord[];
  deploymentTargets: DeploymentTargets;
  /** Pod logs by `cluster/namespace/pod`. */
  podLogs: Record<string, string[]>;
}

export interface BrokerRecord {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MessageRecord {
  key: string | null;
  /** The JSON value (or null for a tombstone). */
  value: unknown;
  /** Epoch ms. */
  timestamp: number;
}

export interface PartitionRecord {
  partition: number;
  leader: number;
  replicas: number[];
  /** The offset of `messages[0]`; older records were removed by retention. */
  beginOffset: number;
  messages: MessageRecord[];
}

export interface TopicRecord {
  name: string;
  replication: number;
  partitions: PartitionRecord[];
  /** Only the topic-level overrides; defaults come from `TOPIC_CONFIG_DEFAULTS`. */
  configs: Record<string, string>;
  keyType: string;
  valueType: string;
  keySchema: string | null;
  valueSchema: string | null;
  description: string | null;
  tags: string[];
  additionalInfo: unknown;
  system: boolean;
  createdAt: string;
}

export interface ConsumerMember {
  memberId: string;
  clientId: string;
  host: string;
  assignments: Array<{ topic: string; partition: number }>;
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
}

export interface ConsumerGroupRecord {
  id: string;
  coordinator: number;
  members: ConsumerMember[];
  offsets: CommittedOffset[];
}

export type ConnectorStatus = 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'UNASSIGNED';

export interface ConnectorTask {
  id: number;
  status: ConnectorStatus;
  workerId: string;
  trace: string | null;
}

export interface ConnectorRecord {
  name: string;
  className: string;
  type: 'source' | 'sink';
  status: ConnectorStatus;
  tasks: ConnectorTask[];
  configuration: Record<string, string>;
  createdAt: string;
}

export interface ConnectClusterRecord {
  name: string;
  version: string;
  workers: string[];
  connectors: ConnectorRecord[];
}

export type ProcessorStatus = 'RUNNING' | 'PENDING' | 'FAILED' | 'STOPPED';

export interface ProcessorDeployment {
  mode: 'IN_PROC' | 'KUBERNETES' | 'CONNECT';
  details?: { runners: number; cluster: string; namespace?: string };
}

export interface ProcessorRecord {
  id: string;
  name: string;
  sql: string;
  description: string | null;
  tags: string[];
  deployment: ProcessorDeployment;
  status: ProcessorStatus;
  inputTopics: string[];
  outputTopics: string[];
  /** Pod names (KUBERNETES) or runner ids. */
  runners: string[];
  lastActionMessage: string | null;
  createdAt: string;
  createdBy: string;
}

export type ApprovalStatus = 'Pending' | 'Approved' | 'Rejected' | 'Failed';

export interface ApprovalRecord {
  id: string;
  type: 'CreateNewEntity';
  entityType: 'KafkaTopic';
  entityName: string;
  approvalStatus: ApprovalStatus;
  settings: {
    partitions: number;
    replication: number;
    topicConfig?: Record<string, string>;
    capacity: { recordsSize: number | null; dataProducedPerDay: number | null; consumers: number | null };
  };
  metadata: { reason: string; tags: string[] };
  createdBy: string;
  createdAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
}

export interface DeploymentTargets {
  kubernetes: Array<{ cluster: string; namespaces: string[] }>;
  connect: Array<{ cluster: string; version: string }>;
}

/** Kafka's defaults for the topic configs the emulator knows. */
export const TOPIC_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'compression.type': 'producer',
  'delete.retention.ms': '86400000',
  'max.message.bytes': '1048588',
  'min.insync.replicas': '1',
  'retention.bytes': '-1',
  'retention.ms': '604800000',
  'segment.bytes': '1073741824',
  'message.timestamp.type': 'CreateTime',
};

export function endOffset(partition: PartitionRecord): number {
  return partition.beginOffset + partition.messages.length;
}

const topicIndexes = new WeakMap<TopicRecord[], Map<string, TopicRecord>>();

/**
 * Topics by name, for the routes that look up many (10,000 topics at `--scale`). Topics are
 * only ever appended, never removed or renamed, so an index stays right while its size matches.
 */
export function topicIndex(data: AgentData): Map<string, TopicRecord> {
  let index = topicIndexes.get(data.topics);
  if (!index || index.size !== data.topics.length) {
    index = new Map(data.topics.map((topic) => [topic.name, topic]));
    topicIndexes.set(data.topics, index);
  }
  return index;
}

export function findTopic(data: AgentData, name: string): TopicRecord {
  const topic = topicIndex(data).get(name);
  if (!topic) throw notFound(`Topic '${name}' does not exist`);
  return topic;
}

export function findPartition(topic: TopicRecord, partition: number): PartitionRecord {
  const found = topic.partitions.find((candidate) => candidate.partition === partition);
  if (!found) throw notFound(`Topic '${topic.name}' has no partition ${partition}`);
  return found;
}

export function effectiveConfigs(topic: TopicRecord): Record<string, string> {
  return { ...TOPIC_CONFIG_DEFAULTS, ...topic.configs };
}

export function isCompacted(topic: TopicRecord): boolean {
  return effectiveConfigs(topic)['cleanup.policy'].includes('compact');
}

export function totalMessages(topic: TopicRecord): number {
  return topic.partitions.reduce((sum, partition) => sum + partition.messages.length, 0);
}

const partitionSizes = new WeakMap<PartitionRecord, { count: number; bytes: number }>();

/** Rough size on disk of a partition's records (their JSON); remembered, as records are only appended. */
export function partitionBytes(partition: PartitionRecord): number {
  const known = partitionSizes.get(partition);
  if (known && known.count === partition.messages.length) return known.bytes;
  const bytes = partition.messages.reduce((sum, message) => sum + JSON.stringify(message.value).length + (message.key?.length ?? 0) + 70, 0);
  partitionSizes.set(partition, { count: partition.messages.length, bytes });
  return bytes;
}

/** Builds `count` empty partitions led round-robin by the brokers. */
export function emptyPartitions(count: number, replication: number, brokers: readonly BrokerRecord[], from = 0): PartitionRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const partition = from + index;
    const replicas = Array.from({ length: replication }, (_, r) => brokers[(partition + r) % brokers.length].id);
    return { partition, leader: replicas[0], replicas, beginOffset: 0, messages: [] };
  });
}

/** Checks that a value looks like a snapshot of this emulator (not a full schema check). */
export function isEmulatorState(value: unknown): value is EmulatorState {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { version?: unknown; environments?: unknown };
  return record.version === 1 && Array.isArray(record.environments);
}
