import { z } from 'zod';
import { sameInEveryVersion, type Endpoint } from './versions';

/**
 * Agent answers, through HQ's proxy (`/api/v1/environments/{env}/proxy/…`). The agent's
 * shapes are the same in 6.1, 6.2 and 6.3 where the reference shows them; where it is
 * silent, the comment names the evidence used instead: the official Lenses MCP server
 * (github.com/lensesio/lenses-mcp, src/lenses_mcp/tools) or lenses-go, the 5.x CLI client
 * (github.com/lensesio/lenses-go, pkg/api), whose agent routes Lenses 6 inherited.
 */

/** `agent_ConnectStatus` (identical in 6.0, 6.1, 6.2). Read as any string: a new state must not hide a connector. */
export const CONNECT_STATES = ['RUNNING', 'UNASSIGNED', 'PAUSED', 'FAILED', 'RESTARTING', 'STOPPED'] as const;

/** https://docs.lenses.io/latest/api-reference/reference/kafka-connect — `HttpConnectorListItem`. */
export const connectorListItem = z.looseObject({
  name: z.string(),
  lrn: z.string().optional(),
  cluster: z.string(),
  state: z.string().optional(),
  tasks: z.array(z.looseObject({ id: z.number().int(), state: z.string() })).optional(),
  className: z.string().optional(),
  type: z.string().optional(),
});
export type ConnectorListItem = z.infer<typeof connectorListItem>;

/** `GET …/api/kafka-connect/connectors` → `{data: HttpConnectorListItem[]}` (the wrapper key is `data`). */
export const CONNECTOR_LIST: Endpoint<{ data: ConnectorListItem[] }> = {
  request: 'GET /api/kafka-connect/connectors',
  reference: 'https://docs.lenses.io/latest/api-reference/reference/kafka-connect',
  answers: sameInEveryVersion(z.looseObject({ data: z.array(connectorListItem) })),
};

/**
 * https://docs.lenses.io/latest/api-reference/reference/sql-streaming —
 * `HttpGetSqlProcessorApiResponse`: the name is `application.name`; the state is
 * `deployment.status.level` (example "NOT_RUNNING"; the full enum is not visible).
 */
export const processor = z.looseObject({
  id: z.string(),
  application: z.looseObject({ name: z.string(), processorId: z.string().optional(), sql: z.string().optional() }),
  metadata: z.looseObject({}).optional(),
  deployment: z.looseObject({ details: z.looseObject({}).nullish(), status: z.looseObject({ level: z.string().optional() }).nullish() }).optional(),
  coverage: z.string().optional(),
});
export type Processor = z.infer<typeof processor>;

/** `GET …/api/v2/streams` → `{processors: [...]}`. */
export const PROCESSOR_LIST: Endpoint<{ processors: Processor[] }> = {
  request: 'GET /api/v2/streams',
  reference: 'https://docs.lenses.io/latest/api-reference/reference/sql-streaming',
  answers: sameInEveryVersion(z.looseObject({ processors: z.array(processor) })),
};

/**
 * A consumer group. The 6.x reference documents no body for the consumer-group routes
 * (https://docs.lenses.io/latest/resources/api-reference/lenses-api-spec, "No content"). Evidence:
 * lenses-go `pkg/api/consumers_client.go` — `{id, coordinator, active, state, consumers[],
 * consumersCount, topicPartitionsCount, minLag, maxLag}`; the official server returns the list as it is.
 */
export const consumerGroup = z.looseObject({
  id: z.string(),
  state: z.string().optional(),
  consumersCount: z.number().optional(),
  minLag: z.number().nullish(),
  maxLag: z.number().nullish(),
});
export type ConsumerGroup = z.infer<typeof consumerGroup>;

/** `GET …/api/consumers` and `GET …/api/consumers/{topic}` → a bare list (lenses-go; not in the 6.x reference). */
export const CONSUMER_GROUP_LIST: Endpoint<ConsumerGroup[]> = {
  request: 'GET /api/consumers',
  reference: 'lenses-go pkg/api/consumers_client.go (the 6.x reference shows no body)',
  answers: sameInEveryVersion(z.array(consumerGroup)),
};

/**
 * A topic. No 6.x reference page for topics could be read; evidence: lenses-go
 * `pkg/api/client.go` `Topic` — a bare list of `{topicName, keyType, valueType, partitions,
 * replication, …, consumers: [group objects], messagesPerPartition, config}`.
 */
export const topic = z.looseObject({ topicName: z.string() });
export const TOPIC_LIST: Endpoint<Array<z.infer<typeof topic>>> = {
  request: 'GET /api/topics',
  reference: 'lenses-go pkg/api/client.go (no 6.x reference page)',
  answers: sameInEveryVersion(z.array(topic)),
};
/** `GET …/api/metadata/topics` → a bare list of `TopicMetadata {topicName, keyType, valueType, …}` (lenses-go). */
export const TOPIC_METADATA_LIST: Endpoint<Array<z.infer<typeof topic>>> = {
  request: 'GET /api/metadata/topics',
  reference: 'lenses-go pkg/api/client.go (no 6.x reference page)',
  answers: sameInEveryVersion(z.array(topic)),
};

/** A page of Lenses' own paging: `{values, pagesAmount, totalCount}`. */
function lensesPage<T extends z.ZodType>(item: T) {
  return z.looseObject({ values: z.array(item), pagesAmount: z.number().optional(), totalCount: z.number() });
}

/**
 * https://docs.lenses.io/latest/api-reference/reference/agentproxy (6.2) — `agent_Results
 * {datasets: {values, pagesAmount, totalCount}, sourceTypes?}`; each value is `agent_Kafka` or
 * `agent_SchemaRegistrySubject` (discriminator `sourceType`), both with a `name`.
 */
export const dataset = z.looseObject({ name: z.string(), sourceType: z.string().optional() });
export const DATASET_LIST: Endpoint<{ datasets: z.infer<ReturnType<typeof lensesPage<typeof dataset>>> }> = {
  request: 'GET /api/v1/datasets',
  reference: 'https://docs.lenses.io/latest/api-reference/reference/agentproxy',
  answers: sameInEveryVersion(z.looseObject({ datasets: lensesPage(dataset) })),
};

/** https://docs.lenses.io/latest/api-reference/reference/approvals — `agent_Page_Request {values: agent_Request[], pagesAmount, totalCount}`. */
export const approvalRequest = z.looseObject({ id: z.string(), entityName: z.string() });
export const APPROVAL_LIST: Endpoint<z.infer<ReturnType<typeof lensesPage<typeof approvalRequest>>>> = {
  request: 'GET /api/v1/approvals',
  reference: 'https://docs.lenses.io/latest/api-reference/reference/approvals',
  answers: sameInEveryVersion(lensesPage(approvalRequest)),
};
