/**
 * Environments (HQ-native routes).
 *
 *   GET  /api/v1/environments          (read)  → 200 {items: Environment[]}
 *   GET  /api/v1/environments/:name    (read)  → 200 Environment | 404
 *   POST /api/v1/environments          (write) {name, display_name?, tier?, metadata?}
 *        → 201 Environment (agent not connected yet) | 400 invalid_fields | 409 exists
 *
 * Environment = {name, display_name, id, created_at, tier, metadata,
 *   status: {agent_connected: boolean,
 *            agent: {version: string|null, last_seen: string|null,
 *                    metrics: null (disconnected) | {
 *                      kafka: {brokers, topics, partitions, under_replicated_partitions, offline_partitions, total_messages},
 *                      consumer_groups: {total, active, total_lag, max_lag},
 *                      connect: {clusters, connectors, running_connectors, failed_tasks},
 *                      sql_processors: {total, running, failed}}}}}
 * tier is development | staging | production. Seeded: dev (connected), staging (disconnected).
 */
import { randomUUID } from 'node:crypto';
import { conflict, created, notFound, ok } from './http';
import { groupLag } from './consumers';
import type { HqRoute } from './routes';
import { newEnvironmentData } from './seed';
import type { EnvironmentRecord, Tier } from './state';
import { FieldReader, isRecord } from './validation';

const TIERS: readonly Tier[] = ['development', 'staging', 'production'];
const ENVIRONMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** An environment as HQ answers it, with metrics computed from the agent data. */
export function environmentView(environment: EnvironmentRecord): Record<string, unknown> {
  return {
    name: environment.name,
    display_name: environment.display_name,
    id: environment.id,
    created_at: environment.created_at,
    tier: environment.tier,
    metadata: environment.metadata,
    status: {
      agent_connected: environment.agent.connected,
      agent: {
        version: environment.agent.version,
        last_seen: environment.agent.last_seen,
        metrics: environment.agent.connected ? agentMetrics(environment) : null,
      },
    },
  };
}

function agentMetrics(environment: EnvironmentRecord): Record<string, unknown> {
  const data = environment.data;
  const brokerIds = new Set(data.brokers.map((broker) => broker.id));
  const partitions = data.topics.flatMap((topic) => topic.partitions);
  const lags = data.consumerGroups.map((group) => groupLag(data, group));
  const connectors = data.connectClusters.flatMap((cluster) => cluster.connectors);
  return {
    kafka: {
      brokers: data.brokers.length,
      topics: data.topics.length,
      partitions: partitions.length,
      under_replicated_partitions: partitions.filter((p) => p.replicas.some((id) => !brokerIds.has(id))).length,
      offline_partitions: partitions.filter((p) => !brokerIds.has(p.leader)).length,
      total_messages: partitions.reduce((sum, p) => sum + p.messages.length, 0),
    },
    consumer_groups: {
      total: data.consumerGroups.length,
      active: data.consumerGroups.filter((group) => group.members.length > 0).length,
      total_lag: lags.reduce((sum, lag) => sum + lag.total, 0),
      max_lag: lags.reduce((max, lag) => Math.max(max, lag.max), 0),
    },
    connect: {
      clusters: data.connectClusters.length,
      connectors: connectors.length,
      running_connectors: connectors.filter((c) => c.status === 'RUNNING').length,
      failed_tasks: connectors.flatMap((c) => c.tasks).filter((task) => task.status === 'FAILED').length,
    },
    sql_processors: {
      total: data.processors.length,
      running: data.processors.filter((p) => p.status === 'RUNNING').length,
      failed: data.processors.filter((p) => p.status === 'FAILED').length,
    },
  };
}

export const environmentRoutes: HqRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/environments',
    scope: 'read',
    handle: ({ state }) => ok({ items: state.environments.map(environmentView) }),
  },
  {
    method: 'GET',
    path: '/api/v1/environments/:name',
    scope: 'read',
    handle: ({ state, params }) => {
      const environment = state.environments.find((candidate) => candidate.name === params.name);
      if (!environment) throw notFound(`Environment '${params.name}' does not exist`);
      return ok(environmentView(environment));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/environments',
    scope: 'write',
    handle: async ({ state, body, now }) => {
      const fields = new FieldReader(await body());
      const name = fields.string('name', {
        required: true,
        pattern: ENVIRONMENT_NAME,
        patternMessage: 'must be lowercase letters, digits or hyphens, not start or end with a hyphen, at most 63 characters',
      });
      const displayName = fields.string('display_name', { maxLength: 128 });
      const tier = fields.oneOf('tier', TIERS, 'development');
      const metadata = fields.raw('metadata');
      if (metadata !== undefined && metadata !== null && !isRecord(metadata)) fields.refuse('metadata', 'must be an object');
      fields.done();
      if (state.environments.some((candidate) => candidate.name === name)) throw conflict(`Environment '${name}' already exists`);
      const environment: EnvironmentRecord = {
        name,
        display_name: displayName ?? name,
        id: randomUUID(),
        created_at: now().toISOString(),
        tier: tier ?? 'development',
        metadata: isRecord(metadata) ? metadata : {},
        agent: { connected: false, version: null, last_seen: null },
        data: newEnvironmentData(),
      };
      state.environments.push(environment);
      return created(environmentView(environment));
    },
  },
];
