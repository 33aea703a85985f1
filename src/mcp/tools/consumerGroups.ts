import { z } from 'zod';
import { path } from '../../lenses';
import { CONSUMER_GROUP_LIST, type ConsumerGroup } from '../../lenses/contract';
import { known } from './lensesAnswers';
import { lensesObject, listAnswer, navigationArguments, pageSchema } from './paging';
import { ANNOTATIONS, environmentArgument, defineTool, segment, topicName, type LensesTool } from './types';

const PAGING =
  'Answers are bounded: whole items only, then a last line (and next_offset) saying how to see more. Narrow with filter (a case-insensitive name substring, or a glob with * such as "billing*"); page with offset and limit (pages are in name order; pass the previous answer\'s next_offset).';

const groupId = (group: ConsumerGroup) => group.id;

/**
 * One compact row per group, in Lenses' field names. A group in full carries every member
 * and one offset row per partition it reads, so at production size a default answer held
 * only a handful of groups; compact, it holds hundreds. The lag fields are the ones the only
 * public evidence of the group shape has (lenses-go: `minLag`, `maxLag`); `topics` when the
 * agent lists them.
 */
interface GroupRow {
  id: string;
  state: string | null;
  consumersCount: number | null;
  topics?: unknown[];
  minLag: number | null;
  maxLag: number | null;
}

/** The rows' outputSchema stays `lensesObject`: with `detail: true` the items are Lenses' groups in full. */
function compactGroup(group: ConsumerGroup): GroupRow {
  return {
    id: group.id,
    state: group.state ?? null,
    consumersCount: group.consumersCount ?? null,
    ...(Array.isArray(group.topics) ? { topics: group.topics as unknown[] } : {}),
    minLag: group.minLag ?? null,
    maxLag: group.maxLag ?? null,
  };
}

/** Consumer groups and their offsets, through the environment proxy. */
export const consumerGroupTools: LensesTool[] = [
  defineTool({
    name: 'list_consumer_groups',
    title: 'List consumer groups',
    description: `Lists the Kafka consumer groups, one compact row each (id, state, consumersCount, topics, minLag, maxLag); detail: true (or list_consumer_groups_by_topic) has each group in full, with its members and per-partition offsets and lag. filter matches the group id. ${PAGING}`,
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      ...navigationArguments('consumer groups'),
      detail: z
        .boolean()
        .default(false)
        .describe(
          'true: each group in full as Lenses answers it (members, per-partition offsets and lag); fewer groups fit in one answer. Default false: compact rows.',
        ),
    },
    output: pageSchema(lensesObject),
    run: async ({ environment, detail, ...navigation }, { lenses, maxOutputChars }) =>
      listAnswer(known(CONSUMER_GROUP_LIST, await lenses.get(lenses.environmentPath(environment, path`/api/consumers`))), navigation, maxOutputChars, {
        noun: 'consumer groups',
        nameOf: groupId,
        ...(detail ? {} : { row: compactGroup }),
        detail: detail
          ? 'list_consumer_groups_by_topic lists the groups of one topic.'
          : 'detail: true (with filter) or list_consumer_groups_by_topic has groups in full.',
      }),
  }),
  defineTool({
    name: 'list_consumer_groups_by_topic',
    title: 'List consumer groups of a topic',
    description: `Lists the consumer groups that consume a topic, with their offsets and lag; filter matches the group id. ${PAGING}`,
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      topic: segment().describe('The name of the topic.'),
      ...navigationArguments('consumer groups'),
    },
    output: pageSchema(lensesObject),
    run: async ({ environment, topic, ...navigation }, { lenses, maxOutputChars }) =>
      listAnswer(known(CONSUMER_GROUP_LIST, await lenses.get(lenses.environmentPath(environment, path`/api/consumers/${topic}`))), navigation, maxOutputChars, {
        noun: `consumer groups of ${topic}`,
        nameOf: groupId,
      }),
  }),
  defineTool({
    name: 'update_consumer_group_offsets',
    title: 'Reset consumer group offsets',
    description:
      'Resets the offsets of every partition of one or more topics in a consumer group to the start, the end or a timestamp. The group must be inactive.',
    scope: 'write',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      group_id: segment().describe('The ID of the consumer group.'),
      topics: z.array(topicName('A topic name.')).min(1).describe('One or more topic names to reset.'),
      reset_to: z
        .enum(['start', 'end', 'timestamp'])
        .describe(
          'Where to reset offsets to: "start" (earliest), "end" (latest), or "timestamp" (the offset committed for each partition becomes the first record at or after `target`).',
        ),
      target: z.iso
        .datetime({ offset: true })
        .nullish()
        .describe('RFC 3339 / ISO 8601 timestamp (e.g. "2026-04-28T10:00:00Z"). Required when reset_to == "timestamp", ignored otherwise.'),
    },
    check: ({ reset_to, target }) =>
      reset_to === 'timestamp' && !target ? 'argument "target" (an RFC 3339 timestamp) is required when reset_to is "timestamp"' : undefined,
    run: ({ environment, group_id, topics, reset_to, target }, { lenses }) =>
      lenses.put(lenses.environmentPath(environment, path`/api/consumers/${group_id}/offsets`), {
        type: reset_to,
        topics,
        ...(reset_to === 'timestamp' ? { target } : {}),
      }),
  }),
  defineTool({
    name: 'delete_consumer_group_offsets',
    title: 'Delete consumer group offsets',
    description: 'Deletes the committed offsets of every partition of one or more topics in a consumer group. The group must be inactive.',
    scope: 'delete',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      group_id: segment().describe('The ID of the consumer group.'),
      topics: z.array(topicName('A topic name.')).min(1).describe('One or more topic names whose committed offsets should be deleted from the group.'),
    },
    run: ({ environment, group_id, topics }, { lenses }) =>
      lenses.post(lenses.environmentPath(environment, path`/api/consumers/${group_id}/offsets/delete`), { topics }),
  }),
  defineTool({
    name: 'update_consumer_partition_offset',
    title: 'Set partition offset',
    description: 'Sets the committed offset of one topic partition for a consumer group.',
    scope: 'write',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      group_id: segment().describe('The ID of the consumer group.'),
      topic: segment().describe('The topic name.'),
      partition: z.number().int().nonnegative().describe('The partition number.'),
      offset: z.number().int().nonnegative().describe('The new offset value.'),
    },
    run: ({ environment, group_id, topic, partition, offset }, { lenses }) =>
      lenses.put(lenses.environmentPath(environment, path`/api/consumers/${group_id}/offsets/topics/${topic}/partitions/${partition}`), {
        type: 'absolute',
        offset,
      }),
  }),
  defineTool({
    name: 'delete_consumer_partition_offset',
    title: 'Delete partition offset',
    description: 'Deletes the committed offset of one topic partition for a consumer group.',
    scope: 'delete',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      group_id: segment().describe('The ID of the consumer group.'),
      topic: segment().describe('The topic name.'),
      partition: z.number().int().nonnegative().describe('The partition number.'),
    },
    run: ({ environment, group_id, topic, partition }, { lenses }) =>
      lenses.delete(lenses.environmentPath(environment, path`/api/consumers/${group_id}/topics/${topic}/partitions/${partition}/offsets`)),
  }),
  defineTool({
    name: 'delete_consumer_group',
    title: 'Delete consumer group',
    description: 'Deletes a consumer group.',
    scope: 'delete',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      group_id: segment().describe('The ID of the consumer group to delete.'),
    },
    run: ({ environment, group_id }, { lenses }) => lenses.delete(lenses.environmentPath(environment, path`/api/consumers/${group_id}`)),
  }),
];
