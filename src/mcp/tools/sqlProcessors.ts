import { z } from 'zod';
import { path } from '../../lenses';
import { entryIfGiven } from './emptyValues';
import { PROCESSOR_LIST } from '../../lenses/contract';
import { known } from './lensesAnswers';
import { linesAnswer, lensesObject, listAnswer, navigationArguments, pageSchema } from './paging';
import { ANNOTATIONS, environmentArgument, defineTool, optionalSegment, segment, type LensesTool } from './types';

const PAGING =
  'Answers are bounded: whole items only, then a last line (and next_offset) saying how to see more. Narrow with filter (a case-insensitive name substring, or a glob with * such as "orders*"); page with offset and limit (pages are in name order; pass the previous answer\'s next_offset).';

/** SQL processors (streaming queries) and where they run, through the environment proxy. */
export const sqlProcessorTools: LensesTool[] = [
  defineTool({
    name: 'list_sql_processors',
    title: 'List SQL processors',
    description: `Lists the SQL processors with their application (name, SQL, topics) and deployment (status.level is the state); filter matches the processor name (application.name). ${PAGING}`,
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      ...navigationArguments('SQL processors'),
    },
    output: pageSchema(lensesObject),
    run: async ({ environment, ...navigation }, { lenses, maxOutputChars }) => {
      const answer = await lenses.get(lenses.environmentPath(environment, path`/api/v2/streams`));
      // Published: {processors: [{id, application: {name, …}, metadata, deployment: {details, status: {level}}, coverage}]}.
      return listAnswer(known(PROCESSOR_LIST, answer).processors, navigation, maxOutputChars, {
        noun: 'SQL processors',
        nameOf: (processor) => processor.application.name,
        envelope: (processors) => ({ ...(answer as object), processors }),
        depth: 2,
        detail: "get_sql_processor has one processor's detail.",
      });
    },
  }),
  defineTool({
    name: 'get_sql_processor',
    title: 'Get SQL processor',
    description: 'Retrieves one SQL processor by ID: application, metadata and deployment status.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      sql_processor_id: segment().describe('SQL processor unique identifier.'),
    },
    run: ({ environment, sql_processor_id }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/v2/streams/${sql_processor_id}`)),
  }),
  defineTool({
    name: 'create_sql_processor',
    title: 'Create SQL processor',
    description: 'Creates a SQL processor (a continuously running Lenses SQL streaming query).',
    scope: 'write',
    annotations: ANNOTATIONS.CREATES,
    input: {
      environment: environmentArgument(),
      name: z.string().describe('The name of the SQL processor.'),
      sql: z.string().min(1).describe('The SQL query/statement for the processor.'),
      deployment: z
        .record(z.string(), z.unknown())
        .nullish()
        .describe(
          'Deployment configuration (mode, runners, cluster, namespace). Use \'in process\' mode when no deployment targets exist: {{mode: "IN_PROC"}}',
        ),
      sql_processor_id: optionalSegment().nullish().describe('Optional processor ID. If not provided, will be auto-generated.'),
      description: z.string().nullish().describe('Optional description of the processor.'),
      tags: z.array(z.string()).nullish().describe('Optional list of tags for the processor.'),
    },
    run: ({ environment, name, sql, deployment, sql_processor_id, description, tags }, { lenses }) =>
      lenses.post(lenses.environmentPath(environment, path`/api/v2/streams`), {
        name,
        sql,
        ...entryIfGiven('processorId', sql_processor_id),
        ...entryIfGiven('description', description),
        ...entryIfGiven('deployment', deployment),
        ...entryIfGiven('tags', tags),
      }),
  }),
  defineTool({
    name: 'delete_sql_processor',
    title: 'Delete SQL processor',
    description: 'Removes a SQL processor.',
    scope: 'delete',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      sql_processor_id: segment().describe('SQL processor unique identifier.'),
    },
    run: ({ environment, sql_processor_id }, { lenses }) => lenses.delete(lenses.environmentPath(environment, path`/api/v1/streams/${sql_processor_id}`)),
  }),
  defineTool({
    name: 'get_deployment_targets',
    title: 'Get deployment targets',
    description: 'Lists where SQL processors can be deployed: Kubernetes clusters and namespaces, and Connect clusters.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
    },
    run: ({ environment }, { lenses }) => lenses.get(lenses.environmentPath(environment, path`/api/v1/deployment/targets`)),
  }),
  defineTool({
    name: 'get_pod_logs',
    title: 'Get pod logs',
    description:
      'Returns the logs of a running Kubernetes pod (for example a SQL processor runner). Answers are bounded: when the log does not fit, the most recent whole lines are shown and a last line says how to see more. filter keeps the lines containing a text (case-insensitive; a glob with * matches whole lines); offset and limit count lines from the start.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      cluster: segment().describe("Pod's cluster name."),
      namespace: segment().describe("Pod's namespace."),
      pod: segment().describe("Pod's name."),
      ...navigationArguments('log lines', 'counted from the first line'),
    },
    run: async ({ environment, cluster, namespace, pod, ...navigation }, { lenses, maxOutputChars }) => {
      const logs = await lenses.get(lenses.environmentPath(environment, path`/api/v1/k8s/logs/${cluster}/${namespace}/${pod}/download`));
      return typeof logs === 'string' && logs.length > 0 ? linesAnswer(logs, navigation, maxOutputChars, 'log lines') : logs;
    },
  }),
];
