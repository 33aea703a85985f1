/**
 * Datasets (agent routes, under /api/v1/environments/:environment/proxy). Each Kafka topic
 * is a dataset of the connection "kafka".
 *
 *   GET /api/v1/datasets                       (read)  query: page (1), pageSize (25), search, connections*, tags*,
 *        sortField (name|records|size), sortOrder (asc|desc), includeSystemEntities, searchFields, schemaFormat,
 *        hasRecords, isCompacted (booleans as true/false, any case)
 *        → 200 {datasets: {values: Dataset[], pagesAmount, totalCount}, sourceTypes: ["Kafka"]}
 *   GET /api/v1/datasets/:connection/:dataset  (read)  → 200 Dataset + {fields: {key: Field[], value: Field[]}, policies, permissions} | 404
 *   GET /api/v1/datasets/kafka/:dataset/messages/metrics (read) → 200 [{date: "YYYY-MM-DD", messages}] (one per day with records)
 *   PUT /api/v1/datasets/kafka/:topic/description (write) {description: string|null} → 200 Dataset
 *   PUT /api/v1/datasets/kafka/:topic/tags        (write) {tags: [{name}]} → 200 Dataset (tags replaced)
 *
 * Dataset = {name, connectionName: "kafka", sourceType: "Kafka", description, tags: [{name}], records, size,
 *   partitions, replication, isCompacted, isSystemEntity, keyType, valueType}
 * Field = {name, type: "string"|"number"|"boolean"|"object"|"array"|"null"}
 */
import { badRequest, notFound, ok } from './http';
import type { AgentRoute } from './routes';
import { findTopic, isCompacted, partitionBytes, totalMessages, type TopicRecord } from './state';
import { readTagObjects } from './topics';
import { FieldReader } from './validation';

const KAFKA = 'kafka';
const SORT_FIELDS = ['name', 'records', 'size'] as const;

function datasetView(topic: TopicRecord): Record<string, unknown> {
  return {
    name: topic.name,
    connectionName: KAFKA,
    sourceType: 'Kafka',
    description: topic.description,
    tags: topic.tags.map((name) => ({ name })),
    records: totalMessages(topic),
    size: topic.partitions.reduce((sum, partition) => sum + partitionBytes(partition), 0),
    partitions: topic.partitions.length,
    replication: topic.replication,
    isCompacted: isCompacted(topic),
    isSystemEntity: topic.system,
    keyType: topic.keyType,
    valueType: topic.valueType,
  };
}

function fieldsOf(sample: unknown): Array<{ name: string; type: string }> {
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) return [];
  return Object.entries(sample).map(([name, value]) => ({ name, type: value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value }));
}

function datasetDetail(topic: TopicRecord): Record<string, unknown> {
  const sample = topic.partitions.flatMap((partition) => partition.messages)[0];
  return {
    ...datasetView(topic),
    fields: { key: sample?.key == null ? [] : [{ name: '_key', type: 'string' }], value: fieldsOf(sample?.value) },
    policies: [],
    permissions: ['ShowTopic', 'ReadTopic', 'UpdateTopicMetadata'],
  };
}

function booleanQuery(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw badRequest(`Query parameter ${name} must be true or false`, [{ field: name, message: 'must be true or false' }]);
}

function integerQuery(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw badRequest(`Query parameter ${name} must be an integer from 1 to ${max}`, [{ field: name, message: `must be an integer from 1 to ${max}` }]);
  }
  return Number(value);
}

function enumQuery<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw badRequest(`Query parameter ${name} must be one of ${allowed.join(', ')}`, [{ field: name, message: `must be one of ${allowed.join(', ')}` }]);
}

function findDataset(topics: readonly TopicRecord[], connection: string, name: string): TopicRecord {
  if (connection !== KAFKA) throw notFound(`Connection '${connection}' does not exist (this environment has: ${KAFKA})`);
  const topic = topics.find((candidate) => candidate.name === name);
  if (!topic) throw notFound(`Dataset '${connection}/${name}' does not exist`);
  return topic;
}

export const datasetRoutes: AgentRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/datasets',
    scope: 'read',
    handle: ({ agent, query }) => {
      const page = integerQuery(query, 'page', 1, 100_000);
      const pageSize = integerQuery(query, 'pageSize', 25, 1000);
      const sortField = enumQuery(query, 'sortField', SORT_FIELDS, 'name');
      const sortOrder = enumQuery(query, 'sortOrder', ['asc', 'desc'] as const, 'asc');
      const includeSystem = booleanQuery(query, 'includeSystemEntities') ?? false;
      const searchFields = booleanQuery(query, 'searchFields') ?? true;
      const hasRecords = booleanQuery(query, 'hasRecords');
      const compacted = booleanQuery(query, 'isCompacted');
      const search = query.get('search')?.toLowerCase() ?? '';
      const connections = query.getAll('connections');
      const tags = query.getAll('tags');
      const schemaFormat = query.get('schemaFormat')?.toUpperCase();

      const matches = agent.topics.filter((topic) => {
        if (topic.system && !includeSystem) return false;
        if (connections.length > 0 && !connections.includes(KAFKA)) return false;
        if (tags.length > 0 && !topic.tags.some((tag) => tags.includes(tag))) return false;
        if (hasRecords !== undefined && totalMessages(topic) > 0 !== hasRecords) return false;
        if (compacted !== undefined && isCompacted(topic) !== compacted) return false;
        if (schemaFormat && topic.valueType !== schemaFormat) return false;
        if (!search) return true;
        const fieldNames = searchFields ? fieldsOf(topic.partitions.flatMap((p) => p.messages)[0]?.value).map((f) => f.name) : [];
        return [topic.name, topic.description ?? '', ...fieldNames].some((text) => text.toLowerCase().includes(search));
      });
      const views = matches.map(datasetView);
      const key = (view: Record<string, unknown>) => view[sortField] as string | number;
      views.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (sortOrder === 'asc' ? 1 : -1));
      return ok({
        datasets: { values: views.slice((page - 1) * pageSize, page * pageSize), pagesAmount: Math.ceil(views.length / pageSize), totalCount: views.length },
        sourceTypes: ['Kafka'],
      });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/datasets/:connection/:dataset',
    scope: 'read',
    handle: ({ agent, params }) => ok(datasetDetail(findDataset(agent.topics, params.connection, params.dataset))),
  },
  {
    method: 'GET',
    path: '/api/v1/datasets/kafka/:dataset/messages/metrics',
    scope: 'read',
    handle: ({ agent, params }) => {
      const topic = findDataset(agent.topics, KAFKA, params.dataset);
      const perDay = new Map<string, number>();
      for (const message of topic.partitions.flatMap((partition) => partition.messages)) {
        const day = new Date(message.timestamp).toISOString().slice(0, 10);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
      return ok([...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, messages]) => ({ date, messages })));
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/datasets/kafka/:topic/description',
    scope: 'write',
    handle: async ({ agent, params, body }) => {
      const fields = new FieldReader(await body());
      const description = fields.string('description', { maxLength: 4096 });
      if (!fields.has('description') && fields.raw('description') !== null) fields.refuse('description', 'is required (a string, or null to clear it)');
      fields.done();
      const topic = findTopic(agent, params.topic);
      topic.description = description && description.trim() ? description : null;
      return ok(datasetView(topic));
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/datasets/kafka/:topic/tags',
    scope: 'write',
    handle: async ({ agent, params, body }) => {
      const fields = new FieldReader(await body());
      const tags = readTagObjects(fields);
      if (tags === undefined && fields.ok) fields.refuse('tags', 'is required: a list of {"name": string}');
      fields.done();
      const topic = findTopic(agent, params.topic);
      topic.tags = tags ?? [];
      return ok(datasetView(topic));
    },
  },
];
