/**
 * Consumer groups (agent routes, under /api/v1/environments/:environment/proxy).
 *
 *   GET    /api/consumers                      (read)   → 200 ConsumerGroup[]
 *   GET    /api/consumers/:topic               (read)   → 200 ConsumerGroup[] reading that topic | 404 unknown topic
 *   PUT    /api/consumers/:group/offsets       (write)  {type: "start"|"end"|"timestamp", topics: string[], target?: RFC 3339}
 *          → 200 ConsumerGroup (every partition of each topic reset)
 *   PUT    /api/consumers/:group/offsets/topics/:topic/partitions/:partition  (write)  {type: "absolute", offset}
 *          → 200 ConsumerGroup | 400 offset outside [beginOffset, endOffset]
 *   POST   /api/consumers/:group/offsets/delete (delete) {topics: string[]} → 200 ConsumerGroup
 *   DELETE /api/consumers/:group/topics/:topic/partitions/:partition/offsets (delete) → 200 ConsumerGroup
 *   DELETE /api/consumers/:group               (delete) → 204
 * As Kafka does, every offset change and the group deletion answer 409 while the group
 * has active members (seeded: billing-service and fraud-detector are active;
 * orders-archiver and analytics-loader are Empty). Unknown group/topic/partition → 404.
 *
 * ConsumerGroup = {id, state: "Stable"|"Empty", active, coordinator: {id, host, port},
 *   consumersCount, members: [{memberId, clientId, host, assignments: [{topic, partition}]}],
 *   topics: string[], minLag, maxLag (lenses-go's group fields; the 6.x reference shows no body),
 *   offsets: [{topic, partition, currentOffset, logEndOffset, lag, memberId, clientId, host}]}
 */
import { conflict, noContent, notFound, ok } from './http';
import type { AgentRoute } from './routes';
import { endOffset, findPartition, findTopic, topicIndex, type AgentData, type ConsumerGroupRecord } from './state';
import { FieldReader, integerParam } from './validation';

/** Total, largest and smallest lag over a group's committed offsets. */
export function groupLag(data: AgentData, group: ConsumerGroupRecord): { total: number; max: number; min: number } {
  const lags = offsetRows(data, group).map((row) => row.lag);
  return { total: lags.reduce((sum, lag) => sum + lag, 0), max: Math.max(0, ...lags), min: lags.length ? Math.min(...lags) : 0 };
}

function offsetRows(data: AgentData, group: ConsumerGroupRecord) {
  return group.offsets.map(({ topic, partition, offset }) => {
    const found = topicIndex(data)
      .get(topic)
      ?.partitions.find((p) => p.partition === partition);
    const logEndOffset = found ? endOffset(found) : offset;
    const member = group.members.find((m) => m.assignments.some((a) => a.topic === topic && a.partition === partition));
    return {
      topic,
      partition,
      currentOffset: offset,
      logEndOffset,
      lag: Math.max(0, logEndOffset - offset),
      memberId: member?.memberId ?? null,
      clientId: member?.clientId ?? null,
      host: member?.host ?? null,
    };
  });
}

/** A group as `GET /api/consumers` answers it. */
export function groupView(data: AgentData, group: ConsumerGroupRecord): Record<string, unknown> {
  const lag = groupLag(data, group);
  const coordinator = data.brokers.find((broker) => broker.id === group.coordinator);
  const topics = [...new Set([...group.offsets.map((o) => o.topic), ...group.members.flatMap((m) => m.assignments.map((a) => a.topic))])].sort();
  return {
    id: group.id,
    state: group.members.length > 0 ? 'Stable' : 'Empty',
    active: group.members.length > 0,
    coordinator: coordinator ? { id: coordinator.id, host: coordinator.host, port: coordinator.port } : null,
    consumersCount: group.members.length,
    members: group.members,
    topics,
    minLag: lag.min,
    maxLag: lag.max,
    offsets: offsetRows(data, group),
  };
}

function findGroup(data: AgentData, id: string): ConsumerGroupRecord {
  const group = data.consumerGroups.find((candidate) => candidate.id === id);
  if (!group) throw notFound(`Consumer group '${id}' does not exist`);
  return group;
}

/** Kafka refuses offset changes and deletion while members are connected. */
function requireInactive(group: ConsumerGroupRecord, action: string): void {
  if (group.members.length > 0) {
    throw conflict(`Cannot ${action} consumer group '${group.id}': it has ${group.members.length} active member(s); stop its consumers first`);
  }
}

function setOffset(group: ConsumerGroupRecord, topic: string, partition: number, offset: number): void {
  const existing = group.offsets.find((o) => o.topic === topic && o.partition === partition);
  if (existing) existing.offset = offset;
  else group.offsets.push({ topic, partition, offset });
}

export const consumerRoutes: AgentRoute[] = [
  {
    method: 'GET',
    path: '/api/consumers',
    scope: 'read',
    handle: ({ agent }) => ok(agent.consumerGroups.map((group) => groupView(agent, group))),
  },
  {
    method: 'GET',
    path: '/api/consumers/:topic',
    scope: 'read',
    handle: ({ agent, params }) => {
      findTopic(agent, params.topic);
      const readers = agent.consumerGroups.filter(
        (group) => group.offsets.some((o) => o.topic === params.topic) || group.members.some((m) => m.assignments.some((a) => a.topic === params.topic)),
      );
      return ok(readers.map((group) => groupView(agent, group)));
    },
  },
  {
    method: 'PUT',
    path: '/api/consumers/:group/offsets',
    scope: 'write',
    handle: async ({ agent, params, body }) => {
      const fields = new FieldReader(await body());
      const type = fields.oneOf('type', ['start', 'end', 'timestamp'] as const);
      const topics = fields.stringList('topics', { required: true, nonEmpty: true });
      const target = fields.string('target', {});
      let targetMs = Number.NaN;
      if (type === 'timestamp') {
        targetMs = target === undefined ? Number.NaN : Date.parse(target);
        if (target === undefined) fields.refuse('target', 'is required when type is "timestamp"');
        else if (!/^\d{4}-\d{2}-\d{2}T/.test(target) || Number.isNaN(targetMs))
          fields.refuse('target', 'must be an RFC 3339 timestamp such as 2026-04-28T10:00:00Z');
      }
      fields.done();
      const group = findGroup(agent, params.group);
      const found = topics.map((name) => findTopic(agent, name));
      requireInactive(group, 'reset the offsets of');
      for (const topic of found) {
        for (const partition of topic.partitions) {
          let offset: number;
          if (type === 'start') offset = partition.beginOffset;
          else if (type === 'end') offset = endOffset(partition);
          else {
            const index = partition.messages.findIndex((message) => message.timestamp >= targetMs);
            offset = index < 0 ? endOffset(partition) : partition.beginOffset + index;
          }
          setOffset(group, topic.name, partition.partition, offset);
        }
      }
      return ok(groupView(agent, group));
    },
  },
  {
    method: 'PUT',
    path: '/api/consumers/:group/offsets/topics/:topic/partitions/:partition',
    scope: 'write',
    handle: async ({ agent, params, body }) => {
      const partitionNumber = integerParam('partition', params.partition);
      const fields = new FieldReader(await body());
      fields.oneOf('type', ['absolute'] as const, 'absolute');
      const offset = fields.integer('offset', { min: 0 });
      fields.done();
      const group = findGroup(agent, params.group);
      const topic = findTopic(agent, params.topic);
      const partition = findPartition(topic, partitionNumber);
      if (offset === undefined || offset < partition.beginOffset || offset > endOffset(partition)) {
        fields.refuse('offset', `must be between ${partition.beginOffset} and ${endOffset(partition)} for ${topic.name}/${partition.partition}`);
        fields.done();
      }
      requireInactive(group, 'change the offsets of');
      setOffset(group, topic.name, partition.partition, offset ?? 0);
      return ok(groupView(agent, group));
    },
  },
  {
    method: 'POST',
    path: '/api/consumers/:group/offsets/delete',
    scope: 'delete',
    handle: async ({ agent, params, body }) => {
      const fields = new FieldReader(await body());
      const topics = fields.stringList('topics', { required: true, nonEmpty: true });
      fields.done();
      const group = findGroup(agent, params.group);
      topics.forEach((name) => findTopic(agent, name));
      requireInactive(group, 'delete the offsets of');
      group.offsets = group.offsets.filter((o) => !topics.includes(o.topic));
      return ok(groupView(agent, group));
    },
  },
  {
    method: 'DELETE',
    path: '/api/consumers/:group/topics/:topic/partitions/:partition/offsets',
    scope: 'delete',
    handle: ({ agent, params }) => {
      const partitionNumber = integerParam('partition', params.partition);
      const group = findGroup(agent, params.group);
      const topic = findTopic(agent, params.topic);
      findPartition(topic, partitionNumber);
      const before = group.offsets.length;
      requireInactive(group, 'delete the offsets of');
      group.offsets = group.offsets.filter((o) => !(o.topic === topic.name && o.partition === partitionNumber));
      if (group.offsets.length === before) throw notFound(`Consumer group '${group.id}' has no committed offset for ${topic.name}/${partitionNumber}`);
      return ok(groupView(agent, group));
    },
  },
  {
    method: 'DELETE',
    path: '/api/consumers/:group',
    scope: 'delete',
    handle: ({ agent, params }) => {
      const group = findGroup(agent, params.group);
      requireInactive(group, 'delete');
      agent.consumerGroups = agent.consumerGroups.filter((candidate) => candidate !== group);
      return noContent();
    },
  },
];
