import { z } from 'zod';
import { path } from '../../lenses';
import { entryIfGiven } from './emptyValues';
import { ENVIRONMENT, ENVIRONMENT_LIST, type Environment } from '../../lenses/contract';
import { known } from './lensesAnswers';
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
      // The official answer is the bare list; HQ wraps it in `items`.
      listAnswer(known(ENVIRONMENT_LIST, await lenses.get('/api/v1/environments')).items, navigation, maxOutputChars, {
        noun: 'environments',
        nameOf: (environment) => environment.name,
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
    run: async ({ name }, { lenses }) => environmentHealth(name, known(ENVIRONMENT, await lenses.get(path`/api/v1/environments/${name}`))),
  }),
];

interface EnvironmentHealth {
  environment: string;
  healthy: boolean;
  agent_connected: boolean;
  /** `status.agent.agent.version`, when HQ reports it. */
  agent_version?: string;
  issues: string[];
  summary?: { kafka_brokers: number; topics: number; consumers: number; connectors: number };
}

/**
 * Health from `status.agent_connected` and `status.agent.metrics`, as the official tool
 * derives it (the `num_*` fields), and the agent's version from `status.agent.agent.version`.
 */
export function environmentHealth(name: string, environment: Environment): EnvironmentHealth {
  const health: EnvironmentHealth = { environment: name, healthy: false, agent_connected: false, issues: [] };
  const agent = environment.status?.agent;
  health.agent_connected = environment.status?.agent_connected === true;
  const version = agent?.agent?.version;
  if (version) health.agent_version = version;
  if (!health.agent_connected) {
    health.issues.push('The agent is not connected');
    return health;
  }
  const metrics = agent?.metrics;
  const issues = numberOf(metrics?.other?.num_issues);
  if (issues > 0) health.issues.push(`Found ${issues} issues`);
  health.healthy = health.issues.length === 0;
  health.summary = {
    kafka_brokers: numberOf(metrics?.kafka?.num_brokers),
    topics: numberOf(metrics?.data?.num_topics),
    consumers: numberOf(metrics?.apps?.num_consumers),
    connectors: numberOf(metrics?.connect?.num_connectors),
  };
  return health;
}

/** A finite number, else 0. */
function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
