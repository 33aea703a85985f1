/**
 * Approval requests (agent routes, under /api/v1/environments/:environment/proxy). Approve/reject
 * are deliberately not served (the MCP server does not expose them).
 *
 *   GET  /api/v1/approvals       (read)  query: pageSize (required, 1-1000), page (1), approvalStatus* (Pending|Approved|
 *        Rejected|Failed, repeatable), entityName (substring, case-insensitive), sortField (entityName|createdBy|createdAt,
 *        default createdAt), sortOrder (asc|desc, default desc)
 *        → 200 {values: Approval[], pagesAmount, totalCount} | 400 invalid_fields
 *   GET  /api/v1/approvals/:id   (read)  → 200 Approval | 400 not a UUID | 404
 *   POST /api/v1/approvals       (write) {type: "CreateNewEntity", entityType: "KafkaTopic", entityName,
 *        settings: {partitions, replication, topicConfig?: {k: v}, capacity?: {recordsSize, dataProducedPerDay, consumers}},
 *        metadata: {reason, tags?: string[]}}
 *        → 201 {id} (the request is Pending) | 400 invalid_fields or "Topic x already exists" | 409 a Pending request exists
 *
 * Approval = {id, type, entityType, entityName, approvalStatus, settings, metadata: {reason, tags}, createdBy, createdAt,
 *   reviewedBy, reviewedAt, reviewComment}
 */
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, created, notFound, ok } from './http';
import type { AgentRoute } from './routes';
import type { ApprovalRecord, ApprovalStatus } from './state';
import { checkTopicConfigs } from './topics';
import { FieldReader, RESOURCE_NAME, TOPIC_NAME } from './validation';

const STATUSES: readonly ApprovalStatus[] = ['Pending', 'Approved', 'Rejected', 'Failed'];
const SORT_FIELDS = ['entityName', 'createdBy', 'createdAt'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function listQuery(query: URLSearchParams) {
  const problems: Array<{ field: string; message: string }> = [];
  const integer = (name: string, fallback: number | undefined, max: number) => {
    const raw = query.get(name);
    if (raw === null || raw === '') {
      if (fallback === undefined) problems.push({ field: name, message: 'is required' });
      return fallback ?? 1;
    }
    if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) problems.push({ field: name, message: `must be an integer from 1 to ${max}` });
    return Number(raw);
  };
  const pageSize = integer('pageSize', undefined, 1000);
  const page = integer('page', 1, 100_000);
  const statuses = query.getAll('approvalStatus');
  const badStatus = statuses.find((status) => !(STATUSES as readonly string[]).includes(status));
  if (badStatus !== undefined) problems.push({ field: 'approvalStatus', message: `"${badStatus.slice(0, 40)}" is not one of ${STATUSES.join(', ')}` });
  const sortField = query.get('sortField') ?? 'createdAt';
  if (!(SORT_FIELDS as readonly string[]).includes(sortField)) problems.push({ field: 'sortField', message: `must be one of ${SORT_FIELDS.join(', ')}` });
  const sortOrder = query.get('sortOrder') ?? 'desc';
  if (sortOrder !== 'asc' && sortOrder !== 'desc') problems.push({ field: 'sortOrder', message: 'must be asc or desc' });
  if (problems.length > 0) throw badRequest(problems.map((p) => `${p.field} ${p.message}`).join('; '), problems);
  return {
    pageSize,
    page,
    statuses,
    entityName: query.get('entityName')?.toLowerCase() ?? '',
    sortField: sortField as (typeof SORT_FIELDS)[number],
    sortOrder,
  };
}

export const approvalRoutes: AgentRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/approvals',
    scope: 'read',
    handle: ({ agent, query }) => {
      const options = listQuery(query);
      const matches = agent.approvals.filter(
        (approval) =>
          (options.statuses.length === 0 || options.statuses.includes(approval.approvalStatus)) &&
          approval.entityName.toLowerCase().includes(options.entityName),
      );
      const direction = options.sortOrder === 'asc' ? 1 : -1;
      matches.sort((a, b) => a[options.sortField].localeCompare(b[options.sortField]) * direction);
      return ok({
        values: matches.slice((options.page - 1) * options.pageSize, options.page * options.pageSize),
        pagesAmount: Math.ceil(matches.length / options.pageSize),
        totalCount: matches.length,
      });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/approvals/:id',
    scope: 'read',
    handle: ({ agent, params }) => {
      if (!UUID.test(params.id)) throw badRequest('The approval request id must be a UUID', [{ field: 'id', message: 'must be a UUID' }]);
      const approval = agent.approvals.find((candidate) => candidate.id.toLowerCase() === params.id.toLowerCase());
      if (!approval) throw notFound(`Approval request '${params.id}' does not exist`);
      return ok(approval);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/approvals',
    scope: 'write',
    handle: async ({ agent, body, principal, now }) => {
      const fields = new FieldReader(await body());
      fields.oneOf('type', ['CreateNewEntity'] as const);
      fields.oneOf('entityType', ['KafkaTopic'] as const);
      const entityName = fields.string('entityName', { required: true, pattern: TOPIC_NAME, patternMessage: 'must be 1-249 letters, digits, ".", "_" or "-"' });
      const settings = fields.nested('settings', { required: true });
      const partitions = settings?.integer('partitions', { min: 1, max: 1000, fallback: 1 }) ?? 1;
      const replication = settings?.integer('replication', { min: 1, fallback: 1 }) ?? 1;
      if (settings && replication > agent.brokers.length) settings.refuse('replication', `must not exceed the number of brokers (${agent.brokers.length})`);
      const topicConfig = settings?.has('topicConfig') ? settings.stringMap('topicConfig') : undefined;
      if (settings && topicConfig) checkTopicConfigs(settings, 'topicConfig', topicConfig);
      const capacity = settings?.nested('capacity');
      const capacityValues = {
        recordsSize: capacity?.optionalNumber('recordsSize') ?? null,
        dataProducedPerDay: capacity?.optionalNumber('dataProducedPerDay') ?? null,
        consumers: capacity?.optionalNumber('consumers') ?? null,
      };
      settings?.adopt(capacity);
      fields.adopt(settings);
      const metadata = fields.nested('metadata', { required: true });
      const reason = metadata?.string('reason', { required: true, maxLength: 4096 }) ?? '';
      const tags = metadata?.stringList('tags', { item: RESOURCE_NAME, itemMessage: 'is not a valid tag' }) ?? [];
      fields.adopt(metadata);
      fields.done();
      if (agent.topics.some((topic) => topic.name === entityName))
        throw badRequest(`Topic ${entityName} already exists`, [{ field: 'entityName', message: 'already exists' }]);
      if (agent.approvals.some((approval) => approval.entityName === entityName && approval.approvalStatus === 'Pending')) {
        throw conflict(`A Pending request to create topic ${entityName} already exists`);
      }
      const approval: ApprovalRecord = {
        id: randomUUID(),
        type: 'CreateNewEntity',
        entityType: 'KafkaTopic',
        entityName,
        approvalStatus: 'Pending',
        settings: { partitions, replication, ...(topicConfig ? { topicConfig } : {}), capacity: capacityValues },
        metadata: { reason, tags },
        createdBy: principal.subject,
        createdAt: now().toISOString(),
        reviewedBy: null,
        reviewedAt: null,
        reviewComment: null,
      };
      agent.approvals.push(approval);
      return created({ id: approval.id });
    },
  },
];
