/**
 * SQL processors, deployment targets and pod logs (agent routes, under /api/v1/environments/:environment/proxy).
 *
 *   GET    /api/v2/streams                 (read)   → 200 {processors: Processor[]}
 *   GET    /api/v2/streams/:id             (read)   → 200 Processor | 404
 *   POST   /api/v2/streams                 (write)  {name, sql, processorId?, description?, tags?: string[],
 *          deployment?: {mode: "IN_PROC"|"KUBERNETES"|"CONNECT", details?: {runners?, cluster, namespace?}}}
 *          (runners/cluster/namespace are also accepted directly in `deployment`; default mode IN_PROC)
 *          → 201 Processor (RUNNING; a missing output topic is created) | 400 invalid_fields | 409 id exists
 *          sql must be `[SET …;] INSERT INTO <topic> SELECT STREAM … FROM <topic> [JOIN <topic> …]`, input topics must exist;
 *          KUBERNETES cluster/namespace and CONNECT cluster must be a deployment target.
 *   DELETE /api/v1/streams/:id             (delete) → 204 | 404
 *   GET    /api/v1/deployment/targets      (read)   → 200 {kubernetes: [{cluster, namespaces: string[]}], connect: [{cluster, version}]}
 *   GET    /api/v1/k8s/logs/:cluster/:namespace/:pod/download (read) → 200 text/plain | 404
 *
 * Processor = HttpGetSqlProcessorApiResponse {id, application: {name, processorId, lrn, sql, inputTopics, outputTopics, otherSettings},
 *   metadata: {description, tags, createdBy, createdAt, processorType}, deployment: {details, status: {level, startedAt, replicas: [{id, status, msg}]}},
 *   coverage}; level RUNNING|PENDING|FAILED|NOT_RUNNING.
 *   The POST takes the official server's body: `deployment` may be left out (the reference marks it required; see README).
 * Seeded (dev): orders-enricher (RUNNING, pod incluster/lenses-apps/orders-enricher-7d9f8c6b5-x2k4q),
 * high-value-orders (FAILED, pod incluster/lenses-apps/high-value-orders-5c7b9d4f8-q8m2z).
 */
import { randomBytes } from 'node:crypto';
import { conflict, created, invalidFields, noContent, notFound, ok, text } from './http';
import type { AgentRoute } from './routes';
import { emptyPartitions, type AgentData, type ProcessorDeployment, type ProcessorRecord } from './state';
import { FieldReader, RESOURCE_NAME } from './validation';

const STATEMENT = /^\s*(?:SET\s+[^;]+;\s*)*INSERT\s+INTO\s+`?([A-Za-z0-9._-]+)`?\s+SELECT\s+STREAM\s+[\s\S]+?\s+FROM\s+`?([A-Za-z0-9._-]+)`?([\s\S]*)$/i;
const JOINED = /\bJOIN\s+`?([A-Za-z0-9._-]+)`?/gi;
const MODES = ['IN_PROC', 'KUBERNETES', 'CONNECT'] as const;

/** `deployment.status.level` for the emulator's states (the reference's example is "NOT_RUNNING"; the full enum is not visible). */
const LEVELS: Readonly<Record<ProcessorRecord['status'], string>> = { RUNNING: 'RUNNING', PENDING: 'PENDING', FAILED: 'FAILED', STOPPED: 'NOT_RUNNING' };

/**
 * `HttpGetSqlProcessorApiResponse` (https://docs.lenses.io/latest/api-reference/reference/sql-streaming):
 * the name is `application.name`, the state `deployment.status.level`.
 */
function processorView(processor: ProcessorRecord): Record<string, unknown> {
  const replicaStatus = processor.status === 'RUNNING' ? 'RUNNING' : processor.status === 'FAILED' ? 'FAILED' : 'STOPPED';
  const topic = (name: string) => ({ name, keyFormat: 'STRING', valueFormat: 'JSON' });
  return {
    id: processor.id,
    application: {
      name: processor.name,
      processorId: processor.id,
      lrn: `lrn:sql-processor:${processor.id}`,
      sql: processor.sql,
      inputTopics: processor.inputTopics.map(topic),
      outputTopics: processor.outputTopics.map(topic),
      otherSettings: {},
    },
    metadata: {
      description: processor.description ?? '',
      tags: processor.tags,
      createdBy: processor.createdBy,
      createdAt: processor.createdAt,
      processorType: 'PreDaD',
    },
    deployment: {
      details: { mode: processor.deployment.mode, ...(processor.deployment.details ?? {}), labels: {}, otherSettings: {} },
      status: {
        level: LEVELS[processor.status],
        startedAt: processor.createdAt,
        replicas: processor.runners.map((id) => ({ id, status: replicaStatus, msg: processor.lastActionMessage ?? '' })),
      },
    },
    coverage: 'full',
  };
}

function findProcessor(data: AgentData, id: string): ProcessorRecord {
  const processor = data.processors.find((candidate) => candidate.id === id);
  if (!processor) throw notFound(`SQL processor '${id}' does not exist`);
  return processor;
}

/** The topics a processor statement reads and writes, or the refusal. */
function parseStatement(fields: FieldReader, data: AgentData, sql: string): { input: string[]; output: string } | undefined {
  const match = STATEMENT.exec(sql);
  if (!match) {
    if (sql) fields.refuse('sql', 'must be a streaming statement: INSERT INTO <topic> SELECT STREAM … FROM <topic>');
    return undefined;
  }
  const input = [...new Set([match[2], ...[...match[3].matchAll(JOINED)].map((join) => join[1])])];
  for (const topic of input) {
    if (!data.topics.some((candidate) => candidate.name === topic)) fields.refuse('sql', `Topic '${topic}' does not exist`);
  }
  return { input, output: match[1] };
}

function readDeployment(fields: FieldReader, data: AgentData): ProcessorDeployment {
  const deployment = fields.nested('deployment');
  if (!deployment) return { mode: 'IN_PROC' };
  const mode = deployment.oneOf('mode', MODES) ?? 'IN_PROC';
  const details = deployment.nested('details') ?? deployment;
  let result: ProcessorDeployment = { mode };
  if (mode !== 'IN_PROC') {
    const runners = details.integer('runners', { min: 1, max: 10, fallback: 1 }) ?? 1;
    const cluster = details.string('cluster', { required: true });
    if (mode === 'KUBERNETES') {
      const namespace = details.string('namespace', { required: true });
      const target = data.deploymentTargets.kubernetes.find((candidate) => candidate.cluster === cluster);
      if (cluster && !target)
        details.refuse(
          'cluster',
          `is not a Kubernetes deployment target (known: ${data.deploymentTargets.kubernetes.map((t) => t.cluster).join(', ') || 'none'})`,
        );
      else if (target && namespace && !target.namespaces.includes(namespace))
        details.refuse('namespace', `is not a namespace of ${cluster} (known: ${target.namespaces.join(', ')})`);
      result = { mode, details: { runners, cluster, namespace } };
    } else {
      if (cluster && !data.deploymentTargets.connect.some((candidate) => candidate.cluster === cluster))
        details.refuse('cluster', 'is not a Connect deployment target');
      result = { mode, details: { runners, cluster } };
    }
  }
  if (details !== deployment) deployment.adopt(details);
  fields.adopt(deployment);
  return result;
}

export const processorRoutes: AgentRoute[] = [
  {
    method: 'GET',
    path: '/api/v2/streams',
    scope: 'read',
    handle: ({ agent }) => ok({ processors: agent.processors.map(processorView) }),
  },
  {
    method: 'GET',
    path: '/api/v2/streams/:id',
    scope: 'read',
    handle: ({ agent, params }) => ok(processorView(findProcessor(agent, params.id))),
  },
  {
    method: 'POST',
    path: '/api/v2/streams',
    scope: 'write',
    handle: async ({ agent, body, principal, now }) => {
      const fields = new FieldReader(await body());
      const name = fields.string('name', { required: true, pattern: RESOURCE_NAME, patternMessage: 'must be letters, digits, ".", "_" or "-" (at most 128)' });
      const sql = fields.string('sql', { required: true, maxLength: 65_536 });
      const requestedId = fields.string('processorId', { pattern: RESOURCE_NAME, patternMessage: 'must be letters, digits, ".", "_" or "-" (at most 128)' });
      const description = fields.string('description', { maxLength: 4096 });
      const tags = fields.stringList('tags', { item: RESOURCE_NAME, itemMessage: 'is not a valid tag' });
      const deployment = readDeployment(fields, agent);
      const topics = parseStatement(fields, agent, sql);
      fields.done();
      if (!topics) throw invalidFields([{ field: 'sql', message: 'is required' }]);
      const id = requestedId ?? `lsql_${randomBytes(4).toString('hex')}`;
      if (agent.processors.some((candidate) => candidate.id === id)) throw conflict(`SQL processor '${id}' already exists`);
      if (!agent.topics.some((candidate) => candidate.name === topics.output)) {
        const replication = Math.min(3, agent.brokers.length);
        agent.topics.push({
          name: topics.output,
          replication,
          partitions: emptyPartitions(1, replication, agent.brokers),
          configs: {},
          keyType: 'STRING',
          valueType: 'JSON',
          keySchema: null,
          valueSchema: null,
          description: `Written by SQL processor ${name}.`,
          tags: [],
          additionalInfo: null,
          system: false,
          createdAt: now().toISOString(),
        });
      }
      const runnerCount = deployment.details?.runners ?? 1;
      const runners = Array.from({ length: runnerCount }, (_, index) =>
        deployment.mode === 'KUBERNETES' ? `${id.replace(/[_.]/g, '-').toLowerCase()}-${index}` : `${id}-runner-${index}`,
      );
      if (deployment.mode === 'KUBERNETES' && deployment.details) {
        for (const pod of runners) {
          agent.podLogs[`${deployment.details.cluster}/${deployment.details.namespace}/${pod}`] = [
            `${now().toISOString()} INFO  [main] Lenses SQL processor ${name} starting`,
            `${now().toISOString()} INFO  [main] Subscribed to topics: ${topics.input.join(', ')}`,
          ];
        }
      }
      const processor: ProcessorRecord = {
        id,
        name,
        sql,
        description: description ?? null,
        tags,
        deployment,
        status: 'RUNNING',
        inputTopics: topics.input,
        outputTopics: [topics.output],
        runners,
        lastActionMessage: null,
        createdAt: now().toISOString(),
        createdBy: principal.subject,
      };
      agent.processors.push(processor);
      return created(processorView(processor));
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/streams/:id',
    scope: 'delete',
    handle: ({ agent, params }) => {
      const processor = findProcessor(agent, params.id);
      agent.processors = agent.processors.filter((candidate) => candidate !== processor);
      const details = processor.deployment.details;
      if (processor.deployment.mode === 'KUBERNETES' && details)
        for (const pod of processor.runners) delete agent.podLogs[`${details.cluster}/${details.namespace}/${pod}`];
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/api/v1/deployment/targets',
    scope: 'read',
    handle: ({ agent }) => ok(agent.deploymentTargets),
  },
  {
    method: 'GET',
    path: '/api/v1/k8s/logs/:cluster/:namespace/:pod/download',
    scope: 'read',
    handle: ({ agent, params }) => {
      const lines = agent.podLogs[`${params.cluster}/${params.namespace}/${params.pod}`];
      if (!lines) throw notFound(`Pod '${params.pod}' does not exist in ${params.cluster}/${params.namespace}`);
      return text(lines.join('\n') + '\n');
    },
  },
];
