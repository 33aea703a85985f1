import { z } from 'zod';
import { path, type LensesClient, type QueryValue } from '../../lenses';
import { DATASET_LIST } from '../../lenses/contract';
import { arrayOf, field, known } from './lensesAnswers';
import { navigatedAnswer, officialPageAnswer, type LensesPage, type LensesPagedSpec } from './lensesPages';
import { navigationArguments, pageSchema } from './paging';
import { ANNOTATIONS, environmentArgument, defineTool, queryList, queryText, segment, type LensesTool } from './types';

/** One compact row per dataset: what a model needs to pick one; get_dataset has the rest. */
const datasetRow = z.object({
  name: z.string(),
  connectionName: z.string().nullable(),
  partitions: z.number().nullable(),
  replication: z.number().nullable(),
  records: z.number().nullable(),
  keyType: z.string().nullable(),
  valueType: z.string().nullable(),
  tags: z.array(z.unknown()),
});

function compactDataset(dataset: unknown): z.infer<typeof datasetRow> {
  return {
    name: field(dataset, 'name', 'string') ?? '',
    connectionName: field(dataset, 'connectionName', 'string') ?? null,
    partitions: field(dataset, 'partitions', 'number') ?? null,
    replication: field(dataset, 'replication', 'number') ?? null,
    records: field(dataset, 'records', 'number') ?? null,
    keyType: field(dataset, 'keyType', 'string') ?? null,
    valueType: field(dataset, 'valueType', 'string') ?? null,
    tags: arrayOf(dataset, 'tags'),
  };
}

/** Datasets (the data catalogue), through the environment proxy. */
export const datasetTools: LensesTool[] = [
  defineTool({
    name: 'list_datasets',
    title: 'List datasets',
    description:
      "Retrieves a paginated list of datasets (topics and other data sources), with search and filters, one compact row each (name, connectionName, partitions, replication, records, keyType, valueType, tags); get_dataset has a dataset's fields and policies. page and page_size ask Lenses for one page. Answers are bounded: whole rows only, then a last line (and next_offset) saying how to see more. filter (a case-insensitive name substring, or a glob with *), offset and limit walk all pages in Lenses' order (sort_field/sort_order); use either page/page_size or offset/limit.",
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      page: z.number().int().positive().default(1).describe('Page number (default: 1).'),
      page_size: z.number().int().positive().max(1000).default(25).describe('Items per page (default: 25).'),
      search: queryText().nullish().describe('Search keyword for dataset, fields and description.'),
      connections: queryList().nullish().describe('List of connection names to filter by.'),
      tags: queryList().nullish().describe('List of tag names to filter by.'),
      sort_field: queryText().nullish().describe('Field to sort results by.'),
      sort_order: z.enum(['asc', 'desc']).default('asc').describe('Sorting order - "asc" or "desc" (default: "asc").'),
      include_system: z.boolean().default(false).describe('Include system entities (default: False).'),
      search_fields: z.boolean().default(true).describe('Search field names/documentation (default: True).'),
      schema_format: queryText().nullish().describe('Schema format filter for SchemaRegistrySubject.'),
      has_records: z.boolean().nullish().describe('Filter based on whether dataset has records.'),
      is_compacted: z.boolean().nullish().describe('Filter based on compacted status (Kafka only).'),
      ...navigationArguments('datasets', "in Lenses' order"),
    },
    output: pageSchema(datasetRow),
    check: ({ page, offset, limit }) =>
      page !== 1 && (offset != null || limit != null) ? 'argument "page": use either page/page_size or offset/limit, not both' : undefined,
    run: ({ environment, filter, offset, limit, ...filters }, { lenses, maxOutputChars }) => {
      const spec = datasetPages(lenses, environment, filters);
      if (filter != null || offset != null || limit != null) return navigatedAnswer(spec, { filter, offset, limit }, maxOutputChars);
      return officialPageAnswer({ ...spec, page: filters.page, pageSize: filters.page_size, envelope: datasetsEnvelope, depth: 3 }, maxOutputChars);
    },
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
    run: ({ environment, entity_name }, { lenses }) =>
      lenses.get(lenses.environmentPath(environment, path`/api/v1/datasets/kafka/${entity_name}/messages/metrics`)),
  }),
  defineTool({
    name: 'update_dataset_topic_description',
    title: 'Update topic description',
    description: 'Sets (or clears, with null or an empty text) the description of a topic in its dataset metadata.',
    scope: 'write',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      topic_name: segment().describe('Name of the topic.'),
      description: z.string().nullish().describe('The description of the topic.'),
    },
    // HQ refuses an empty description; the official tool sends null for it (clears it).
    run: ({ environment, topic_name, description }, { lenses }) =>
      lenses.put(lenses.environmentPath(environment, path`/api/v1/datasets/kafka/${topic_name}/description`), { description: description || null }),
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

/** Lenses' pages of datasets for these official filters. */
function datasetPages(lenses: LensesClient, environment: string, filters: DatasetFilters): LensesPagedSpec {
  return {
    noun: 'datasets',
    nameOf: (row) => field(row, 'name', 'string') ?? '',
    row: compactDataset,
    detail: "get_dataset has one dataset's fields and policies.",
    fetchPage: async (page, pageSize): Promise<LensesPage> => {
      const answer = await lenses.get(lenses.environmentPath(environment, path`/api/v1/datasets`), {
        query: datasetQuery({ ...filters, page, page_size: pageSize }),
      });
      const { datasets } = known(DATASET_LIST, answer);
      return { values: datasets.values, total: datasets.totalCount, answer };
    },
  };
}

/** The official answer around the rows shown: `{datasets: {values, pagesAmount, totalCount}, sourceTypes}`. */
function datasetsEnvelope(rows: unknown[], page: LensesPage): unknown {
  const answer = page.answer as Record<string, unknown>;
  return { ...answer, datasets: { ...(answer.datasets as object), values: rows } };
}

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

/**
 * HQ's query names for list_datasets, in the official order; empty filters are left out as
 * the official tool does. Two deliberate differences of spelling:
 * booleans are `true`/`false`, JSON's and OpenAPI's spelling (the official's `True`/`False`
 * is Python's `str(bool)`), and every value is percent-encoded (the
 * official pastes `search` into the URL raw, so an `&` in it would add a parameter).
 */
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
