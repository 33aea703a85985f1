/**
 * Topics and topic metadata (agent routes, under /api/v1/environments/:environment/proxy).
 *
 *   GET  /api/topics                         (read)  → 200 TopicSummary[]
 *   GET  /api/topics/:topic                  (read)  → 200 TopicDetail | 404
 *   GET  /api/v2/topics/:topic/partitions    (read)  → 200 {topicName, jmxTimestamp, partitions: [{partition, leader,
 *                                                        replicas: [{broker, inSync}], messages, bytes, beginOffset, endOffset}]}
 *   GET  /api/topics/:topic/brokerConfigs    (read)  → 200 [{name, value, defaultValue, source: "DYNAMIC_TOPIC_CONFIG"|"DEFAULT_CONFIG",
 *                                                        isDefault, isReadOnly, isSensitive}]
 *   GET  /api/metadata/topics                (read)  → 200 TopicMetadata[]
 *   GET  /api/metadata/topics/:topic         (read)  → 200 TopicMetadata | 404
 *   POST /api/topics                         (write) {topicName, partitions, replication, configs: {k: v}} → 201 TopicSummary
 *   POST /api/v1/kafka/topic                 (write) {name, partitions, replication, configs, format?: {key?: {format, schema?},
 *                                                        value?: {format, schema?}}} → 201 TopicSummary
 *   PUT  /api/configs/topics/:topic          (write) {configs: [{key, value}]} → 200 TopicDetail
 *   PUT  /api/v1/kafka/topics/:topic/partitions (write) {partitions: new total (> current)} → 200 {topicName, partitions}
 *   PUT  /api/topics/:topic/:partition/:offset/resend (write) → 200 {topicName, partition, offset (of the copy)}
 *   POST /api/v1/metadata/topics             (write) TopicMetadata (topicName, keyType, valueType required) → 200 TopicMetadata
 * Creating an existing topic → 409. Replication above the broker count (dev: 3) → 400.
 * Config keys must be known Kafka topic configs (retention.ms, cleanup.policy, …) → else 400.
 *
 * TopicSummary = {topicName, keyType, valueType, partitions: number, replication, isControlTopic, isCompacted,
 *   totalMessages, sizeBytes, description, tags: string[], consumers: string[] (group ids), createdAt}
 * TopicDetail = TopicSummary + {configs: [{name, value, isDefault, defaultValue}], keySchema, valueSchema,
 *   messagesPerPartition: [{partition, messages, begin, end}]}
 * TopicMetadata = {topicName, keyType, valueType, keySchema, valueSchema, description, tags: [{name}], additionalInfo}
 */
import { conflict, created, invalidFields, notFound, ok } from './http';
import type { AgentRoute } from './routes';
import {
  TOPIC_CONFIG_DEFAULTS,
  effectiveConfigs,
  emptyPartitions,
  endOffset,
  findPartition,
  findTopic,
  isCompacted,
  partitionBytes,
  totalMessages,
  type AgentData,
  type TopicRecord,
} from './state';
import { FieldReader, RESOURCE_NAME, TOPIC_NAME, integerParam, isRecord } from './validation';

export const DATA_FORMATS = ['AVRO', 'JSON', 'CSV', 'XML', 'PROTOBUF', 'INT', 'LONG', 'SHORT', 'DOUBLE', 'FLOAT', 'STRING', 'BYTES', 'UUID'] as const;
const FORMATS_NEEDING_SCHEMA = ['AVRO', 'JSON', 'CSV', 'XML'];
const MAX_PARTITIONS = 1000;

const NUMERIC_CONFIGS = new Set(['delete.retention.ms', 'max.message.bytes', 'min.insync.replicas', 'retention.bytes', 'retention.ms', 'segment.bytes']);
const ENUM_CONFIGS: Record<string, readonly string[]> = {
  'cleanup.policy': ['delete', 'compact', 'compact,delete', 'delete,compact'],
  'compression.type': ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'],
  'message.timestamp.type': ['CreateTime', 'LogAppendTime'],
};

/** Refuses unknown config keys and values Kafka would refuse. */
export function checkTopicConfigs(fields: FieldReader, field: string, configs: Record<string, string>): void {
  for (const [key, value] of Object.entries(configs)) {
    if (!(key in TOPIC_CONFIG_DEFAULTS)) fields.refuse(`${field}.${key}`, `is not a topic config (known: ${Object.keys(TOPIC_CONFIG_DEFAULTS).join(', ')})`);
    else if (NUMERIC_CONFIGS.has(key) && !/^-?\d{1,19}$/.test(value)) fields.refuse(`${field}.${key}`, 'must be an integer');
    else if (ENUM_CONFIGS[key] && !ENUM_CONFIGS[key].includes(value)) fields.refuse(`${field}.${key}`, `must be one of ${ENUM_CONFIGS[key].join(', ')}`);
  }
}

/** The ids of the groups reading each topic, in group order (one pass over the groups, for whole-list answers). */
function readersByTopic(data: AgentData): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const group of data.consumerGroups) {
    const topics = new Set([...group.offsets.map((o) => o.topic), ...group.members.flatMap((m) => m.assignments.map((a) => a.topic))]);
    for (const topic of topics) {
      const list = readers.get(topic);
      if (list) list.push(group.id);
      else readers.set(topic, [group.id]);
    }
  }
  return readers;
}

export function topicSummary(data: AgentData, topic: TopicRecord, readers: Map<string, string[]> = readersByTopic(data)): Record<string, unknown> {
  return {
    topicName: topic.name,
    keyType: topic.keyType,
    valueType: topic.valueType,
    partitions: topic.partitions.length,
    replication: topic.replication,
    isControlTopic: topic.system,
    isCompacted: isCompacted(topic),
    totalMessages: totalMessages(topic),
    sizeBytes: topic.partitions.reduce((sum, partition) => sum + partitionBytes(partition), 0),
    description: topic.description,
    tags: topic.tags,
    consumers: readers.get(topic.name) ?? [],
    createdAt: topic.createdAt,
  };
}

function topicDetail(data: AgentData, topic: TopicRecord): Record<string, unknown> {
  const configs = effectiveConfigs(topic);
  return {
    ...topicSummary(data, topic),
    keySchema: topic.keySchema,
    valueSchema: topic.valueSchema,
    configs: Object.entries(configs).map(([name, value]) => ({ name, value, isDefault: !(name in topic.configs), defaultValue: TOPIC_CONFIG_DEFAULTS[name] })),
    messagesPerPartition: topic.partitions.map((p) => ({ partition: p.partition, messages: p.messages.length, begin: p.beginOffset, end: endOffset(p) })),
  };
}

export function topicMetadata(topic: TopicRecord): Record<string, unknown> {
  return {
    topicName: topic.name,
    keyType: topic.keyType,
    valueType: topic.valueType,
    keySchema: topic.keySchema,
    valueSchema: topic.valueSchema,
    description: topic.description,
    tags: topic.tags.map((name) => ({ name })),
    additionalInfo: topic.additionalInfo,
  };
}

interface NewTopic {
  name: string;
  partitions: number;
  replication: number;
  configs: Record<string, string>;
  keyType?: string;
  valueType?: string;
  keySchema?: string;
  valueSchema?: string;
}

function createTopic(data: AgentData, request: NewTopic, createdAt: string): TopicRecord {
  if (data.topics.some((topic) => topic.name === request.name)) throw conflict(`Topic '${request.name}' already exists`);
  const topic: TopicRecord = {
    name: request.name,
    replication: request.replication,
    partitions: emptyPartitions(request.partitions, request.replication, data.brokers),
    configs: request.configs,
    keyType: request.keyType ?? 'BYTES',
    valueType: request.valueType ?? 'BYTES',
    keySchema: request.keySchema ?? null,
    valueSchema: request.valueSchema ?? null,
    description: null,
    tags: [],
    additionalInfo: null,
    system: false,
    createdAt,
  };
  data.topics.push(topic);
  return topic;
}

/** Reads the partitions/replication/configs every topic creation has. */
function readTopicShape(fields: FieldReader, data: AgentData): Pick<NewTopic, 'partitions' | 'replication' | 'configs'> {
  const partitions = fields.integer('partitions', { min: 1, max: MAX_PARTITIONS, fallback: 1 }) ?? 1;
  const replication = fields.integer('replication', { min: 1, fallback: 1 }) ?? 1;
  if (replication > data.brokers.length) fields.refuse('replication', `must not exceed the number of brokers (${data.brokers.length})`);
  const configs = fields.stringMap('configs');
  checkTopicConfigs(fields, 'configs', configs);
  return { partitions, replication, configs };
}

function readFormat(fields: FieldReader, side: 'key' | 'value'): { format?: string; schema?: string } {
  const format = fields.nested('format');
  const part = format?.nested(side);
  if (!format || !part) {
    fields.adopt(format);
    return {};
  }
  const raw = part.raw('format');
  const upper = typeof raw === 'string' ? raw.toUpperCase() : undefined;
  const name = upper && (DATA_FORMATS as readonly string[]).includes(upper) ? upper : undefined;
  if (!name) part.refuse('format', `must be one of ${DATA_FORMATS.join(', ')}`);
  const schema = part.string('schema', {});
  if (name && FORMATS_NEEDING_SCHEMA.includes(name) && schema === undefined) part.refuse('schema', `is required for ${name}`);
  format.adopt(part);
  fields.adopt(format);
  return { format: name, schema };
}

export const topicRoutes: AgentRoute[] = [
  {
    method: 'GET',
    path: '/api/topics',
    scope: 'read',
    handle: ({ agent }) => {
      const readers = readersByTopic(agent);
      return ok(agent.topics.map((topic) => topicSummary(agent, topic, readers)));
    },
  },
  {
    method: 'GET',
    path: '/api/topics/:topic',
    scope: 'read',
    handle: ({ agent, params }) => ok(topicDetail(agent, findTopic(agent, params.topic))),
  },
  {
    method: 'GET',
    path: '/api/v2/topics/:topic/partitions',
    scope: 'read',
    handle: ({ agent, params, now }) => {
      const topic = findTopic(agent, params.topic);
      const live = new Set(agent.brokers.map((broker) => broker.id));
      return ok({
        topicName: topic.name,
        jmxTimestamp: now().getTime(),
        partitions: topic.partitions.map((p) => ({
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas.map((broker) => ({ broker, inSync: live.has(broker) })),
          messages: p.messages.length,
          bytes: partitionBytes(p),
          beginOffset: p.beginOffset,
          endOffset: endOffset(p),
        })),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/topics/:topic/brokerConfigs',
    scope: 'read',
    handle: ({ agent, params }) => {
      const topic = findTopic(agent, params.topic);
      return ok(
        Object.entries(effectiveConfigs(topic)).map(([name, value]) => ({
          name,
          value,
          defaultValue: TOPIC_CONFIG_DEFAULTS[name],
          source: name in topic.configs ? 'DYNAMIC_TOPIC_CONFIG' : 'DEFAULT_CONFIG',
          isDefault: !(name in topic.configs),
          isReadOnly: false,
          isSensitive: false,
        })),
      );
    },
  },
  {
    method: 'GET',
    path: '/api/metadata/topics',
    scope: 'read',
    handle: ({ agent }) => ok(agent.topics.map(topicMetadata)),
  },
  {
    method: 'GET',
    path: '/api/metadata/topics/:topic',
    scope: 'read',
    handle: ({ agent, params }) => ok(topicMetadata(findTopic(agent, params.topic))),
  },
  {
    method: 'POST',
    path: '/api/topics',
    scope: 'write',
    handle: async ({ agent, body, now }) => {
      const fields = new FieldReader(await body());
      const name = fields.string('topicName', { required: true, pattern: TOPIC_NAME, patternMessage: 'must be 1-249 letters, digits, ".", "_" or "-"' });
      const shape = readTopicShape(fields, agent);
      fields.done();
      return created(topicSummary(agent, createTopic(agent, { name, ...shape }, now().toISOString())));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/kafka/topic',
    scope: 'write',
    handle: async ({ agent, body, now }) => {
      const fields = new FieldReader(await body());
      const name = fields.string('name', { required: true, pattern: TOPIC_NAME, patternMessage: 'must be 1-249 letters, digits, ".", "_" or "-"' });
      const shape = readTopicShape(fields, agent);
      const key = readFormat(fields, 'key');
      const value = readFormat(fields, 'value');
      fields.done();
      const topic = createTopic(
        agent,
        { name, ...shape, keyType: key.format, keySchema: key.schema, valueType: value.format, valueSchema: value.schema },
        now().toISOString(),
      );
      return created(topicSummary(agent, topic));
    },
  },
  {
    method: 'PUT',
    path: '/api/configs/topics/:topic',
    scope: 'write',
    handle: async ({ agent, params, body }) => {
      const fields = new FieldReader(await body());
      const list = fields.raw('configs');
      const updates: Record<string, string> = {};
      if (!Array.isArray(list) || list.length === 0) fields.refuse('configs', 'must be a non-empty list of {key, value}');
      else
        list.forEach((entry, index) => {
          if (isRecord(entry) && typeof entry.key === 'string' && typeof entry.value === 'string') updates[entry.key] = entry.value;
          else fields.refuse(`configs[${index}]`, 'must be {"key": string, "value": string}');
        });
      checkTopicConfigs(fields, 'configs', updates);
      fields.done();
      const topic = findTopic(agent, params.topic);
      Object.assign(topic.configs, updates);
      return ok(topicDetail(agent, topic));
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/kafka/topics/:topic/partitions',
    scope: 'write',
    handle: async ({ agent, params, body }) => {
      const fields = new FieldReader(await body());
      const partitions = fields.integer('partitions', { min: 1, max: MAX_PARTITIONS });
      fields.done();
      const topic = findTopic(agent, params.topic);
      if (partitions === undefined || partitions <= topic.partitions.length) {
        throw invalidFields([{ field: 'partitions', message: `must be more than the current ${topic.partitions.length} (Kafka cannot remove partitions)` }]);
      }
      topic.partitions.push(...emptyPartitions(partitions - topic.partitions.length, topic.replication, agent.brokers, topic.partitions.length));
      return ok({ topicName: topic.name, partitions: topic.partitions.length });
    },
  },
  {
    method: 'PUT',
    path: '/api/topics/:topic/:partition/:offset/resend',
    scope: 'write',
    handle: ({ agent, params, now }) => {
      const partitionNumber = integerParam('partition', params.partition);
      const offset = integerParam('offset', params.offset);
      const partition = findPartition(findTopic(agent, params.topic), partitionNumber);
      const message = partition.messages[offset - partition.beginOffset];
      if (offset < partition.beginOffset || !message)
        throw notFound(`No record at ${params.topic}/${partitionNumber} offset ${offset} (available: ${partition.beginOffset}-${endOffset(partition) - 1})`);
      partition.messages.push({ ...message, timestamp: now().getTime() });
      return ok({ topicName: params.topic, partition: partitionNumber, offset: endOffset(partition) - 1 });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/metadata/topics',
    scope: 'write',
    handle: async ({ agent, body }) => {
      const fields = new FieldReader(await body());
      const name = fields.string('topicName', { required: true });
      const keyType = fields.string('keyType', { required: true });
      const valueType = fields.string('valueType', { required: true });
      for (const [field, type] of [
        ['keyType', keyType],
        ['valueType', valueType],
      ] as const) {
        if (type && !(DATA_FORMATS as readonly string[]).includes(type.toUpperCase())) fields.refuse(field, `must be one of ${DATA_FORMATS.join(', ')}`);
      }
      const keySchema = fields.string('keySchemaInlined', {}) ?? fields.string('keySchema', {});
      const valueSchema = fields.string('valueSchemaInlined', {}) ?? fields.string('valueSchema', {});
      const description = fields.string('description', { maxLength: 4096 });
      const tags = readTagObjects(fields);
      fields.done();
      const topic = findTopic(agent, name);
      topic.keyType = keyType.toUpperCase();
      topic.valueType = valueType.toUpperCase();
      if (keySchema !== undefined) topic.keySchema = keySchema;
      if (valueSchema !== undefined) topic.valueSchema = valueSchema;
      if (fields.has('description') || fields.raw('description') === null) topic.description = description ?? null;
      if (tags !== undefined) topic.tags = tags;
      if (fields.raw('additionalInfo') !== undefined) topic.additionalInfo = fields.raw('additionalInfo');
      return ok(topicMetadata(topic));
    },
  },
];

/** `tags: [{name}]` as Lenses sends them; `undefined` when absent. */
export function readTagObjects(fields: FieldReader): string[] | undefined {
  const raw = fields.raw('tags');
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    fields.refuse('tags', 'must be a list of {"name": string}');
    return undefined;
  }
  const names: string[] = [];
  raw.forEach((entry, index) => {
    if (isRecord(entry) && typeof entry.name === 'string' && RESOURCE_NAME.test(entry.name)) names.push(entry.name);
    else fields.refuse(`tags[${index}]`, 'must be {"name": string} with letters, digits, ".", "_" or "-"');
  });
  return [...new Set(names)];
}
