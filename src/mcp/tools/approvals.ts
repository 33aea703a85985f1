import { z } from 'zod';
import { path } from '../../lenses';
import { entryIfGiven, givenOrUndefined } from './emptyValues';
import { APPROVAL_LIST } from '../../lenses/contract';
import { field, known } from './lensesAnswers';
import { navigatedAnswer, officialPageAnswer, type LensesPage } from './lensesPages';
import { lensesObject, navigationArguments, pageSchema } from './paging';
import { ANNOTATIONS, environmentArgument, defineTool, queryText, topicName, type LensesTool } from './types';

/**
 * Topic-creation approvals, through the environment proxy. Approve and reject are
 * deliberately not tools: the agent's approve route performs no IAM check.
 */
export const approvalTools: LensesTool[] = [
  defineTool({
    name: 'request_topic_creation',
    title: 'Request topic creation',
    description: 'Files an approval request for a new topic; an approver creates it once approved. Approving and rejecting are deliberately not tools.',
    scope: 'write',
    annotations: ANNOTATIONS.CREATES,
    input: {
      environment: environmentArgument(),
      topic_name: topicName('Name of the topic to request.').describe('Name of the topic to request.'),
      reason: z.string().min(1).describe('Why the topic is needed (shown to the approver).'),
      partitions: z.number().int().positive().default(1).describe('Number of partitions (default: 1).'),
      replication: z.number().int().positive().default(1).describe('Replication factor (default: 1). Must not exceed the number of brokers in the cluster.'),
      configs: z.record(z.string(), z.string()).nullish().describe('Topic configurations, e.g. {"retention.ms": "86400000"}.'),
      tags: z.array(z.string()).nullish().describe('Tags describing the topic.'),
      records_size: z.number().int().nullish().describe('Expected record size (capacity planning, optional).'),
      data_produced_per_day: z.number().int().nullish().describe('Expected data produced per day (optional).'),
      consumers: z.number().int().nullish().describe('Expected number of consumers (optional).'),
    },
    run: ({ environment, topic_name, reason, partitions, replication, configs, tags, records_size, data_produced_per_day, consumers }, { lenses }) =>
      lenses.post(lenses.environmentPath(environment, path`/api/v1/approvals`), {
        type: 'CreateNewEntity',
        entityName: topic_name,
        entityType: 'KafkaTopic',
        settings: {
          replication,
          partitions,
          // All three keys, null when not given, as the official tool sends them.
          capacity: { recordsSize: records_size ?? null, dataProducedPerDay: data_produced_per_day ?? null, consumers: consumers ?? null },
          // Left out when empty: the shape the official tool verified against the agent.
          ...entryIfGiven('topicConfig', configs),
        },
        metadata: { reason, tags: tags ?? [] },
      }),
  }),
  defineTool({
    name: 'list_approval_requests',
    title: 'List approval requests',
    description:
      "Lists approval requests, filtered by status or topic name, paginated and sorted. page and page_size ask Lenses for one page. Answers are bounded: whole items only, then a last line (and next_offset) saying how to see more. filter (a case-insensitive topic-name substring, or a glob with *), offset and limit walk all pages in Lenses' order; use either page/page_size or offset/limit.",
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      statuses: z
        .array(z.enum(['Pending', 'Approved', 'Rejected', 'Failed']))
        .nullish()
        .describe('Filter by status: "Pending", "Approved", "Rejected", "Failed".'),
      entity_name: queryText().nullish().describe('Filter by matching topic name (substring).'),
      page: z.number().int().positive().default(1).describe('Page number (default: 1).'),
      page_size: z.number().int().positive().max(1000).default(25).describe('Items per page (default: 25).'),
      sort_field: z
        .enum(['entityName', 'createdBy', 'createdAt'])
        .or(z.literal(''))
        .nullish()
        .describe('Field to sort by: "entityName", "createdBy", "createdAt" (default: "createdAt", newest first).'),
      sort_order: z.enum(['asc', 'desc']).or(z.literal('')).nullish().describe('Sorting order - "asc" or "desc".'),
      ...navigationArguments('approval requests', "in Lenses' order"),
    },
    output: pageSchema(lensesObject),
    check: ({ page, offset, limit }) =>
      page !== 1 && (offset != null || limit != null) ? 'argument "page": use either page/page_size or offset/limit, not both' : undefined,
    run: ({ environment, statuses, entity_name, page, page_size, sort_field, sort_order, filter, offset, limit }, { lenses, maxOutputChars }) => {
      const spec = {
        noun: 'approval requests',
        nameOf: (approval: unknown) => field(approval, 'entityName', 'string') ?? '',
        detail: 'get_approval_request has one request.',
        fetchPage: async (pageNumber: number, pageSize: number): Promise<LensesPage> => {
          const answer = await lenses.get(lenses.environmentPath(environment, path`/api/v1/approvals`), {
            // The official order; '' (like an absent value) sends no parameter at all.
            query: {
              page: pageNumber,
              pageSize,
              approvalStatus: statuses ?? undefined,
              entityName: givenOrUndefined(entity_name),
              sortField: givenOrUndefined(sort_field),
              sortOrder: givenOrUndefined(sort_order),
            },
          });
          const { values, totalCount } = known(APPROVAL_LIST, answer);
          return { values, total: totalCount, answer };
        },
      };
      if (filter != null || offset != null || limit != null) return navigatedAnswer(spec, { filter, offset, limit }, maxOutputChars);
      return officialPageAnswer(
        { ...spec, page, pageSize: page_size, envelope: (rows, got) => ({ ...(got.answer as object), values: rows }), depth: 2 },
        maxOutputChars,
      );
    },
  }),
  defineTool({
    name: 'get_approval_request',
    title: 'Get approval request',
    description: 'Retrieves one approval request by its UUID.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      request_id: z.uuid().describe('The request id (UUID) returned by request_topic_creation.'),
    },
    run: ({ environment, request_id }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/v1/approvals/${request_id}`)),
  }),
];
