import { z } from 'zod';
import { path } from '../../lenses';
import { TOPIC_LIST, TOPIC_METADATA_LIST } from '../../lenses/contract';
import { arrayOf, field, known } from './lensesAnswers';
import { lensesObject, listAnswer, navigationArguments, pageSchema } from './paging';
import { ANNOTATIONS, environmentArgument, defineTool, segment, topicName, type LensesTool } from './types';

const PAGING =
  'Answers are bounded: whole rows only, then a last line (and next_offset) saying how to see more. Narrow with filter (a case-insensitive name substring, or a glob with * such as "orders*"); page with offset and limit (pages are in name order; pass the previous answer\'s next_offset).';

/** One compact row per topic: what a model needs to pick one; get_topic has the rest. */
const topicRow = z.object({
  topicName: z.string(),
  partitions: z.number().nullable(),
  replication: z.number().nullable(),
  totalMessages: z.number().nullable(),
  keyType: z.string().nullable(),
  valueType: z.string().nullable(),
  tags: z.array(z.unknown()),
});

function compactTopic(topic: unknown): z.infer<typeof topicRow> {
  return {
    topicName: field(topic, 'topicName', 'string') ?? '',
    partitions: field(topic, 'partitions', 'number') ?? null,
    replication: field(topic, 'replication', 'number') ?? null,
    totalMessages: field(topic, 'totalMessages', 'number') ?? null,
    keyType: field(topic, 'keyType', 'string') ?? null,
    valueType: field(topic, 'valueType', 'string') ?? null,
    tags: arrayOf(topic, 'tags'),
  };
}

/** Topics and topic metadata, through the environment proxy. */
export const topicTools: LensesTool[] = [
  defineTool({
    name: 'list_topics',
    title: 'List topics',
    description: `Lists the Kafka topics of an environment, one compact row each (topicName, partitions, replication, totalMessages, keyType, valueType, tags); get_topic has a topic's configuration, consumers and partitions. ${PAGING}`,
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      ...navigationArguments('topics'),
    },
    output: pageSchema(topicRow),
    run: async ({ environment, ...navigation }, { lenses, maxOutputChars }) =>
      listAnswer(known(TOPIC_LIST, await lenses.get(lenses.environmentPath(environment, path`/api/topics`))), navigation, maxOutputChars, {
        noun: 'topics',
        nameOf: (topic) => field(topic, 'topicName', 'string') ?? '',
        row: compactTopic,
        detail: "get_topic has one topic's full detail.",
      }),
  }),
  defineTool({
    name: 'get_topic',
    title: 'Get topic',
    description: 'Retrieves one topic: partitions, consumers, configuration and more.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
    },
    run: ({ environment, topic_name }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/topics/${topic_name}`)),
  }),
  defineTool({
    name: 'get_topic_partitions',
    title: 'Get topic partitions',
    description: 'Retrieves partition details of a topic with message and byte counts.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
    },
    run: ({ environment, topic_name }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/v2/topics/${topic_name}/partitions`)),
  }),
  defineTool({
    name: 'create_topic',
    title: 'Create topic',
    description: 'Creates a Kafka topic with optional configuration.',
    scope: 'write',
    annotations: ANNOTATIONS.CREATES,
    input: {
      environment: environmentArgument(),
      topic_name: topicName('Topic name.').describe('Topic name.'),
      partitions: z.number().int().default(1).describe('Number of partitions (default: 1).'),
      replication: z.number().int().default(1).describe('Replication factor (default: 1).'),
      configs: z.record(z.string(), z.string()).nullish().describe('Topic configurations.'),
    },
    run: ({ environment, topic_name, partitions, replication, configs }, { lenses }) =>
      lenses.post(lenses.environmentPath(environment, path`/api/topics`), { topicName: topic_name, partitions, replication, configs: configs ?? {} }),
  }),
  defineTool({
    name: 'create_topic_with_schema',
    title: 'Create topic with schema',
    description: 'Creates a Kafka topic with optional key/value formats and schemas.',
    scope: 'write',
    annotations: ANNOTATIONS.CREATES,
    input: {
      environment: environmentArgument(),
      name: topicName('Topic name.').describe('Topic name.'),
      partitions: z.number().int().default(1).describe('Number of partitions (default: 1).'),
      replication: z.number().int().default(1).describe('Replication factor (default: 1).'),
      configs: z.record(z.string(), z.string()).nullish().describe('Topic configurations.'),
      key_format: z.string().nullish().describe('Key format (AVRO, JSON, CSV, XML, INT, LONG, STRING, BYTES, etc.).'),
      key_schema: z.string().nullish().describe('Key schema (required for AVRO, JSON, CSV, XML).'),
      value_format: z.string().nullish().describe('Value format.'),
      value_schema: z.string().nullish().describe('Value schema.'),
    },
    run: ({ environment, name, partitions, replication, configs, key_format, key_schema, value_format, value_schema }, { lenses }) =>
      lenses.post(lenses.environmentPath(environment, path`/api/v1/kafka/topic`), {
        name,
        partitions,
        replication,
        configs: configs ?? {},
        ...topicFormat(key_format, key_schema, value_format, value_schema),
      }),
  }),
  defineTool({
    name: 'update_topic_config',
    title: 'Update topic configuration',
    description: 'Updates configuration entries of a topic.',
    scope: 'write',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
      configs: z
        .array(z.strictObject({ key: z.string().min(1), value: z.string() }))
        .min(1)
        .describe('List of config key-value pairs [{"key": "retention.ms", "value": "86400000"}].'),
    },
    run: ({ environment, topic_name, configs }, { lenses }) =>
      lenses.put(lenses.environmentPath(environment, path`/api/configs/topics/${topic_name}`), { configs }),
  }),
  defineTool({
    name: 'get_topic_broker_configs',
    title: 'Get topic broker configs',
    description: 'Lists the broker configuration that applies to a topic.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
    },
    run: ({ environment, topic_name }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/topics/${topic_name}/brokerConfigs`)),
  }),
  defineTool({
    name: 'add_topic_partitions',
    title: 'Add topic partitions',
    description: 'Raises the number of partitions of a topic to a new total (partitions can never be removed).',
    scope: 'write',
    annotations: ANNOTATIONS.SETS,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
      partitions: z.number().int().positive().describe('New total number of partitions.'),
    },
    run: ({ environment, topic_name, partitions }, { lenses }) =>
      lenses.put(lenses.environmentPath(environment, path`/api/v1/kafka/topics/${topic_name}/partitions`), { partitions }),
  }),
  defineTool({
    name: 'resend_message',
    title: 'Resend message',
    description: 'Re-produces the message at a topic partition and offset to the same topic.',
    scope: 'write',
    annotations: ANNOTATIONS.CREATES,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
      partition: z.number().int().nonnegative().describe('Kafka partition number.'),
      offset: z.number().int().nonnegative().describe('Kafka offset.'),
    },
    run: ({ environment, topic_name, partition, offset }, { lenses }) =>
      lenses.put(lenses.environmentPath(environment, path`/api/topics/${topic_name}/${partition}/${offset}/resend`)),
  }),
  defineTool({
    name: 'list_topic_metadata',
    title: 'List topic metadata',
    description: `Lists the metadata of the topics: key/value types, schemas, descriptions and tags. ${PAGING}`,
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      ...navigationArguments('topics'),
    },
    output: pageSchema(lensesObject),
    run: async ({ environment, ...navigation }, { lenses, maxOutputChars }) =>
      listAnswer(known(TOPIC_METADATA_LIST, await lenses.get(lenses.environmentPath(environment, path`/api/metadata/topics`))), navigation, maxOutputChars, {
        noun: 'topics',
        nameOf: (metadata) => field(metadata, 'topicName', 'string') ?? '',
        detail: "get_topic_metadata has one topic's metadata.",
      }),
  }),
  defineTool({
    name: 'get_topic_metadata',
    title: 'Get topic metadata',
    description: 'Retrieves the metadata of one topic: key/value types, schema and tags.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
    },
    run: ({ environment, topic_name }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/metadata/topics/${topic_name}`)),
  }),
  defineTool({
    name: 'update_topic_metadata',
    title: 'Update topic metadata',
    description: 'Updates topic metadata. topicName, keyType and valueType are required; tags are objects like [{"name": "tag1"}], not strings.',
    scope: 'write',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      metadata: z
        .looseObject({ topicName: z.string().min(1), keyType: z.string().min(1), valueType: z.string().min(1) })
        .describe(
          'Metadata dict with keys: topicName, keyType, valueType, keySchema, keySchemaVersion, keySchemaInlined, valueSchema, valueSchemaVersion, valueSchemaInlined, description, tags (list of {"name": "text"}), additionalInfo.',
        ),
    },
    run: ({ environment, metadata }, { lenses }) => lenses.post(lenses.environmentPath(environment, path`/api/v1/metadata/topics`), metadata),
  }),
];

type FormatSide = { format: string; schema?: string };

/** The `format` block of create_topic_with_schema, only with the sides that were given. */
function topicFormat(
  keyFormat?: string | null,
  keySchema?: string | null,
  valueFormat?: string | null,
  valueSchema?: string | null,
): { format?: { key?: FormatSide; value?: FormatSide } } {
  if (!keyFormat && !valueFormat) return {};
  const side = (format: string, schema?: string | null): FormatSide => (schema ? { format, schema } : { format });
  return { format: { ...(keyFormat ? { key: side(keyFormat, keySchema) } : {}), ...(valueFormat ? { value: side(valueFormat, valueSchema) } : {}) } };
}
