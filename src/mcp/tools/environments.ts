import { z } from 'zod';
import { path } from '../../lenses';
import { entryIfGiven } from './emptyValues';
import { field, listOf } from './lensesAnswers';
import { lensesObject, listAnswer, navigationArguments, pageSchema } from './paging';
import { ANNOTATIONS, defineTool, segment, type LensesTool } from './types';

/** Environments: HQ-native routes (`/api/v1/environments`). */
export const environmentTools: LensesTool[] = [
  defineTool({
    name: 'list_environments',
    title: 'List environments',
    description:
      'Lists the Lenses environments with their status, agent metrics and metadata. Answers are bounded: whole items only, then a last line (and next_offset) saying how to see more. Narrow with filter (a case-insensitive name substring, or a glob with *); page with offset and limit (pages are in name order).',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      ...navigationArguments('environments'),
    },
    output: pageSchema(lensesObject),
    run: async (navigation, { lenses, maxOutputChars }) =>
      listAnswer(itemsOf(await lenses.get('/api/v1/environments')), navigation, maxOutputChars, {
        noun: 'environments',
        nameOf: (environment) => field(environment, 'name', 'string') ?? '',
        detail: 'get_environment has one environment.',
      }),
  }),
  defineTool({
    name: 'get_environment',
    title: 'Get environment',
    description: 'Retrieves one Lenses environment by name, including its status, agent metrics and metadata.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      name: segment().describe('The name of the environment to retrieve.'),
    },
    run: ({ name }, { lenses }) => lenses.get(path`/api/v1/environments/${name}`),
  }),
  defineTool({
    name: 'create_environment',
    title: 'Create environment',
    description: 'Creates a new Lenses environment. The answer includes the agent key needed to connect an agent.',
    scope: 'write',
    annotations: ANNOTATIONS.CREATES,
    input: {
      name: z
        .string()
        .min(1, 'Environment name is required')
        .max(63)
        .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lowercase alphanumeric or hyphens, not start or end with a hyphen, at most 63 characters')
        .describe('The name of the new environment. Must be a valid resource name (lowercase alphanumeric or hyphens, max 63 chars).'),
      display_name: z.string().nullish().describe("The display name of the environment. If not provided, 'name' will be used."),
      tier: z
        .enum(['development', 'staging', 'production'])
        .default('development')
        .describe('The environment tier. Options: "development", "staging", "production". Default: "development".'),
      metadata: z.record(z.string(), z.unknown()).nullish().describe('Additional metadata as key-value pairs.'),
    },
    run: ({ name, display_name, tier, metadata }, { lenses }) =>
      lenses.post('/api/v1/environments', { name, tier, ...entryIfGiven('display_name', display_name), ...entryIfGiven('metadata', metadata) }),
  }),
  defineTool({
    name: 'check_environment_health',
    title: 'Check environment health',
    description: 'Checks whether the agent of an environment is connected and reports issues and summary metrics (brokers, topics, consumers, connectors).',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      name: segment().describe('The name of the environment to check.'),
    },
    run: async ({ name }, { lenses }) => environmentHealth(name, await lenses.get(path`/api/v1/environments/${name}`)),
  }),
];

/** The official answer of list_environments is the bare list (HQ wraps it in `items`). */
function itemsOf(answer: unknown): unknown[] {
  return Array.isArray(answer) ? answer : listOf(answer, 'items');
}

interface EnvironmentHealth {
  environment: string;
  healthy: boolean;
  agent_connected: boolean;
  issues: string[];
  summary?: { kafka_brokers: number; topics: number; consumers: number; connectors: number };
}

/** Health from `status.agent_connected` and `status.agent.metrics`, as the official tool derives it. */
export function environmentHealth(name: string, environment: unknown): EnvironmentHealth {
  const health: EnvironmentHealth = { environment: name, healthy: false, agent_connected: false, issues: [] };
  const status = record(record(environment).status);
  health.agent_connected = status.agent_connected === true;
  if (!health.agent_connected) {
    health.issues.push('The agent is not connected');
    return health;
  }
  const metrics = record(record(status.agent).metrics);
  const kafka = record(metrics.kafka);
  const connect = record(metrics.connect);
  // The official tool reads num_* fields; HQ versions also report kafka/connect/sql_processors blocks.
  const issues = numberOf(record(metrics.other).num_issues);
  if (issues > 0) health.issues.push(`Found ${issues} issues`);
  const problems: Array<[number, string]> = [
    [numberOf(kafka.offline_partitions), 'offline partitions'],
    [numberOf(kafka.under_replicated_partitions), 'under-replicated partitions'],
    [numberOf(connect.failed_tasks), 'failed connector tasks'],
    [numberOf(record(metrics.sql_processors).failed), 'failed SQL processors'],
  ];
  for (const [count, what] of problems) if (count > 0) health.issues.push(`${count} ${what}`);
  health.healthy = health.issues.length === 0;
  health.summary = {
    kafka_brokers: numberOf(kafka.num_brokers, kafka.brokers),
    topics: numberOf(record(metrics.data).num_topics, kafka.topics),
    consumers: numberOf(record(metrics.apps).num_consumers, record(metrics.consumer_groups).total),
    connectors: numberOf(connect.num_connectors, connect.connectors),
  };
  return health;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The first finite number among `values`, else 0. */
function numberOf(...values: unknown[]): number {
  const found = values.find((value): value is number => typeof value === 'number' && Number.isFinite(value));
  return found ?? 0;
}
