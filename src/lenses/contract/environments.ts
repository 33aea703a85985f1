import { z } from 'zod';
import { sameInEveryVersion, type Endpoint } from './versions';

/**
 * HQ environments, `hq_Environment`: https://docs.lenses.io/latest/api-reference/reference/environments
 * (6.2; the 6.0 spec shows the same). Required: name, display_name, lrn, id, created_at, tier;
 * the rest of the schema is cut off in the reference, so `status` is read as its example shows it:
 * `status.agent_connected`, `status.agent.agent.version` (the agent's version),
 * `status.agent.updated_at`, `status.agent.metrics.{kafka, data, apps, connect, other}`.
 * Required keys are not enforced here: a row with a missing `lrn` is still an environment.
 */
const agentMetrics = z.looseObject({
  kafka: z.looseObject({ version: z.string().optional(), num_brokers: z.number().optional() }).nullish(),
  data: z.looseObject({ num_topics: z.number().optional(), num_partitions: z.number().optional() }).nullish(),
  /** `hq_AgentAppsMetrics`, `hq_AgentConnectMetrics`, `hq_AgentOtherMetrics`: fields not visible; the official server reads num_consumers, num_connectors, num_issues. */
  apps: z.looseObject({ num_consumers: z.number().optional() }).nullish(),
  connect: z.looseObject({ num_connectors: z.number().optional() }).nullish(),
  other: z.looseObject({ num_issues: z.number().optional() }).nullish(),
});

export const environment = z.looseObject({
  name: z.string(),
  display_name: z.string().optional(),
  lrn: z.string().optional(),
  id: z.string().optional(),
  created_at: z.string().optional(),
  /** `hq_Tier`: development, staging, production. */
  tier: z.string().optional(),
  status: z
    .looseObject({
      agent_connected: z.boolean().optional(),
      agent: z
        .looseObject({
          updated_at: z.string().nullish(),
          agent: z.looseObject({ hostname: z.string().optional(), version: z.string().optional() }).nullish(),
          metrics: agentMetrics.nullish(),
        })
        .nullish(),
    })
    .optional(),
});
export type Environment = z.infer<typeof environment>;

/** `GET /api/v1/environments` → `hq_EnvironmentList {items}`. */
export const ENVIRONMENT_LIST: Endpoint<{ items: Environment[] }> = {
  request: 'GET /api/v1/environments',
  reference: 'https://docs.lenses.io/latest/api-reference/reference/environments',
  answers: sameInEveryVersion(z.looseObject({ items: z.array(environment) })),
};

/** `GET /api/v1/environments/{name}` → one `hq_Environment`. */
export const ENVIRONMENT: Endpoint<Environment> = {
  request: 'GET /api/v1/environments/{name}',
  reference: 'https://docs.lenses.io/latest/api-reference/reference/environments',
  answers: sameInEveryVersion(environment),
};
