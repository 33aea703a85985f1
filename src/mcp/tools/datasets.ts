import { z } from 'zod';
import { path, type QueryValue } from '../../lenses';
import { ANNOTATIONS, environmentArgument, defineTool, segment, type LensesTool } from './types';

/** Datasets (the data catalogue), through the environment proxy. */
export const datasetTools: LensesTool[] = [
  defineTool({
    name: 'list_datasets',
    title: 'List datasets',
    description: 'Retrieves a paginated list of datasets (topics and other data sources), with search and filters.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      page: z.number().int().positive().default(1).describe('Page number (default: 1).'),
      page_size: z.number().int().positive().max(1000).default(25).describe('Items per page (default: 25).'),
      search: z.string().nullish().describe('Search keyword for dataset, fields and description.'),
      connections: z.array(z.string()).nullish().describe('List of connection names to filter by.'),
      tags: z.array(z.string()).nullish().describe('List of tag names to filter by.'),
      sort_field: z.string().nullish().describe('Field to sort results by.'),
      sort_order: z.enum(['asc', 'desc']).default('asc').describe('Sorting order - "asc" or "desc" (default: "asc").'),
      include_system: z.boolean().default(false).describe('Include system entities (default: False).'),
      search_fields: z.boolean().default(true).describe('Search field names/documentation (default: True).'),
      schema_format: z.string().nullish().describe('Schema format filter for SchemaRegistrySubject.'),
      has_records: z.boolean().nullish().describe('Filter based on whether dataset has records.'),
      is_compacted: z.boolean().nullish().describe('Filter based on compacted status (Kafka only).'),
    },
    run: ({ environment, ...filters }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/v1/datasets`), { query: datasetQuery(filters) }),
  }),
  defineTool({
    name: 'get_dataset',
    title: 'Get dataset',
    description: 'Retrieves one dataset by connection and name: fields, policies, permissions and metadata.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      connection: segment().describe('The connection name (e.g., "kafka").'),
      dataset: segment().describe('The dataset name.'),
    },
    run: ({ environment, connection, dataset }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/v1/datasets/${connection}/${dataset}`)),
  }),
  defineTool({
    name: 'get_dataset_message_metrics',
    title: 'Get dataset message metrics',
    description: 'Retrieves ranged message-count metrics of a Kafka dataset.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      entity_name: segment().describe("The dataset's entity name."),
    },
    run: ({ environment, entity_name }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/v1/datasets/kafka/${entity_name}/messages/metrics`)),
  }),
  defineTool({
    name: 'update_dataset_topic_description',
    title: 'Update topic description',
    description: 'Sets (or clears, with null) the description of a topic in its dataset metadata.',
    scope: 'write',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
      description: z.string().nullish().describe('The description of the topic.'),
    },
    run: ({ environment, topic_name, description }, { lenses }) => lenses.put(lenses.environmentPath(environment, path`/api/v1/datasets/kafka/${topic_name}/description`), { description: description ?? null }),
  }),
  defineTool({
    name: 'update_dataset_topic_tags',
    title: 'Update topic tags',
    description: 'Replaces the tags of a topic in its dataset metadata.',
    scope: 'write',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
      tags: z.array(z.string().min(1)).describe('List of tag names.'),
    },
    run: ({ environment, topic_name, tags }, { lenses }) =>
      lenses.put(lenses.environmentPath(environment, path`/api/v1/datasets/kafka/${topic_name}/tags`), { tags: tags.map((tag) => ({ name: tag })) }),
  }),
];

interface DatasetFilters {
  page: number;
  page_size: number;
  search?: string | null;
  connections?: string[] | null;
  tags?: string[] | null;
  sort_field?: string | null;
  sort_order: string;
  include_system: boolean;
  search_fields: boolean;
  schema_format?: string | null;
  has_records?: boolean | null;
  is_compacted?: boolean | null;
}

/** HQ's query names for list_datasets; empty filters are left out as the official tool does. */
function datasetQuery(filters: DatasetFilters): Record<string, QueryValue> {
  return {
    page: filters.page,
    pageSize: filters.page_size,
    sortOrder: filters.sort_order,
    includeSystemEntities: filters.include_system,
    searchFields: filters.search_fields,
    search: filters.search || undefined,
    connections: filters.connections?.length ? filters.connections : undefined,
    tags: filters.tags?.length ? filters.tags : undefined,
    sortField: filters.sort_field || undefined,
    schemaFormat: filters.schema_format || undefined,
    hasRecords: filters.has_records ?? undefined,
    isCompacted: filters.is_compacted ?? undefined,
  };
}
