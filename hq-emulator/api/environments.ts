/**
 * Environments (HQ-native routes).
 *
 *   GET  /api/v1/environments          (read)  → 200 {items: Environment[]}
 *   GET  /api/v1/environments/:name    (read)  → 200 Environment | 404
 *   POST /api/v1/environments          (write) {name, display_name?, tier?, metadata?}
 *        → 201 Environment (agent not connected yet) | 400 invalid_fields | 409 exists
 *
 * Environment = hq_Environment: {name, display_name, lrn, id, created_at, tier, metadata,
 *   status: {agent_connected, agent?: {updated_at, roundtrip_duration, agent: {hostname, version, protocol_version, capabilities},
 *            metrics? (connected only): {kafka: {version, num_brokers, updated_at}, data: {num_topics, num_partitions, …},
 *                                        apps: {num_consumers}, connect: {num_connectors}, other: {num_issues}}}}}
 *   (status.agent is left out for an environment whose agent never connected)
 * tier is development | staging | production. Seeded: dev (connected), staging (disconnected).
 */
import { randomUUID } from 'node:crypto';
import { conflict, created, notFound, ok } from './http';
import type { HqRoute } from './routes';
import { newEnvironmentData } from './seed';
import type { EnvironmentRecord, Tier } from './state';
import { FieldReader, isRecord } from './validation';

const TIERS: readonly Tier[] = ['development', 'staging', 'production'];
const ENVIRONMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * An environment as HQ answers it (`hq_Environment`,
 * https://docs.lenses.io/latest/api-reference/reference/environments): the required keys,
 * then `status` as the reference's example shows it, with metrics computed from the agent data.
 */
export function environmentView(environment: EnvironmentRecord): Record<string, unknown> {
  const connected = environment.agent.connected;
  return {
    name: environment.name,
    display_name: environment.display_name,
    lrn: `lrn:environment:${environment.name}`,
    id: environment.id,
    created_at: environment.created_at,
    tier: environment.tier,
    metadata: environment.metadata,
    status: {
      agent_connected: connected,
      ...(environment.agent.version === null
        ? {}
        : {
            agent: {
              updated_at: environment.agent.last_seen,
              roundtrip_duration: 3,
              agent: {
                hostname: `lenses-agent-${environment.name}`,
                version: environment.agent.version,
                protocol_version: 1,
                capabilities: { metrics: true, k2k: false, publish: true },
              },
              ...(connected ? { metrics: agentMetrics(environment) } : {}),
            },
          }),
    },
  };
}

/**
 * The published metric groups: `kafka {version, num_brokers, updated_at}`, `data {num_topics,
 * num_partitions, …}`; the apps/connect/other groups' fields are not visible in the
 * reference, so the names the official server reads (num_consumers, num_connectors, num_issues).
 */
function agentMetrics(environment: EnvironmentRecord): Record<string, unknown> {
  const data = environment.data;
  const brokerIds = new Set(data.brokers.map((broker) => broker.id));
  const partitions = data.topics.flatMap((topic) => topic.partitions);
  const connectors = data.connectClusters.flatMap((cluster) => cluster.connectors);
  const issues =
    partitions.filter((p) => !brokerIds.has(p.leader)).length +
    connectors.flatMap((c) => c.tasks).filter((task) => task.status === 'FAILED').length +
    data.processors.filter((p) => p.status === 'FAILED').length;
  return {
    kafka: { version: '3.9.0', num_brokers: data.brokers.length, updated_at: environment.agent.last_seen },
    data: {
      num_topics: data.topics.length,
      num_partitions: partitions.length,
      num_schemas: 0,
      num_policies: 0,
      topic_data_total_bytes: partitions.reduce((sum, p) => sum + p.messages.length * 100, 0),
    },
    apps: { num_consumers: data.consumerGroups.length },
    connect: { num_connectors: connectors.length },
    other: { num_issues: issues },
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
