import { z } from 'zod';
import { path } from '../../lenses';
import { CONNECTOR_LIST } from '../../lenses/contract';
import { known } from './lensesAnswers';
import { lensesObject, listAnswer, navigationArguments, pageSchema } from './paging';
import { ANNOTATIONS, environmentArgument, defineTool, queryList, segment, type LensesTool } from './types';

const PAGING =
  'Answers are bounded: whole items only, then a last line (and next_offset) saying how to see more. Narrow with filter (a case-insensitive name substring, or a glob with * such as "s3-*"); page with offset and limit (pages are in name order; pass the previous answer\'s next_offset).';

/** Kafka Connect connectors, through the environment proxy. */
export const connectorTools: LensesTool[] = [
  defineTool({
    name: 'list_kafka_connectors',
    title: 'List Kafka connectors',
    description: `Lists Kafka Connect connectors with their state (RUNNING, PAUSED, FAILED, …), cluster, class and tasks (each with its state), optionally filtered by cluster or class; filter matches the connector name. ${PAGING}`,
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      cluster: queryList().nullish().describe('Optional list of cluster names to filter by.'),
      class_name: queryList().nullish().describe('Optional list of connector class names to filter by.'),
      ...navigationArguments('connectors'),
    },
    output: pageSchema(lensesObject),
    run: async ({ environment, cluster, class_name, ...navigation }, { lenses, maxOutputChars }) => {
      // As the official: each name repeats its key, empty lists send nothing. Unlike it, values are percent-encoded (it pastes them raw).
      const answer = await lenses.get(lenses.environmentPath(environment, path`/api/kafka-connect/connectors`), {
        query: { cluster: cluster ?? undefined, className: class_name ?? undefined },
      });
      // Published: {data: [{name, lrn, cluster, state, tasks: [{id, state}], className, type, …}]}.
      const { data } = known(CONNECTOR_LIST, answer);
      return listAnswer(data, navigation, maxOutputChars, {
        noun: 'connectors',
        nameOf: (connector) => connector.name,
        envelope: (rows) => ({ ...(answer as object), data: rows }),
        depth: 2,
        detail: "get_kafka_connector_target_definition has one connector's definition.",
      });
    },
  }),
  defineTool({
    name: 'get_kafka_connector_target_definition',
    title: 'Get connector definition',
    description: 'Fetches the current target definition of a Kafka connector as YAML.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      connect_cluster_name: segment().describe('The connect cluster name.'),
      connector_name: segment().describe('The connector name.'),
    },
    run: ({ environment, connect_cluster_name, connector_name }, { lenses }) =>
      lenses.get(lenses.environmentPath(environment, path`/api/v1/resource/kafka/connect/${connect_cluster_name}/connector/${connector_name}`)),
  }),
  defineTool({
    name: 'create_kafka_connector',
    title: 'Create Kafka connector',
    description: 'Creates a Kafka connector on a Connect cluster.',
    scope: 'write',
    annotations: ANNOTATIONS.CREATES,
    input: {
      environment: environmentArgument(),
      name: z.string().describe('The name of the connector.'),
      cluster: z.string().describe('The cluster name where the connector will be deployed.'),
      configuration: z.record(z.string(), z.unknown()).describe('The connector configuration as a dictionary.'),
    },
    run: ({ environment, name, cluster, configuration }, { lenses }) =>
      lenses.post(lenses.environmentPath(environment, path`/api/kafka-connect/connectors`), { name, cluster, configuration }),
  }),
  defineTool({
    name: 'set_action_on_kafka_connector',
    title: 'Start, stop or restart a connector',
    description: 'Controls a Kafka connector: start, stop, restart, pause or resume.',
    scope: 'write',
    annotations: ANNOTATIONS.ACTS,
    input: {
      environment: environmentArgument(),
      cluster: segment().describe('The cluster name.'),
      connector: segment().describe('The connector name.'),
      action: z
        .enum(['start', 'stop', 'restart', 'pause', 'resume'])
        .describe('The action to perform. Options: "start", "stop", "restart", "pause", "resume".'),
    },
    run: ({ environment, cluster, connector, action }, { lenses }) =>
      lenses.put(lenses.environmentPath(environment, path`/api/kafka-connect/clusters/${cluster}/connectors/${connector}/${action}`)),
  }),
  defineTool({
    name: 'restart_kafka_connector_task',
    title: 'Restart connector task',
    description: 'Restarts one task of a Kafka connector.',
    scope: 'write',
    annotations: ANNOTATIONS.ACTS,
    input: {
      environment: environmentArgument(),
      cluster: segment().describe('The cluster name.'),
      connector: segment().describe('The connector name.'),
      task_id: z.number().int().nonnegative().describe('The task ID to restart.'),
    },
    run: ({ environment, cluster, connector, task_id }, { lenses }) =>
      lenses.put(lenses.environmentPath(environment, path`/api/kafka-connect/clusters/${cluster}/connectors/${connector}/tasks/${task_id}/restart`)),
  }),
  defineTool({
    name: 'delete_kafka_connector',
    title: 'Delete Kafka connector',
    description: 'Deletes a Kafka connector.',
    scope: 'delete',
    annotations: ANNOTATIONS.OVERWRITES,
    input: {
      environment: environmentArgument(),
      cluster: segment().describe('The cluster name.'),
      connector: segment().describe('The connector name.'),
    },
    run: ({ environment, cluster, connector }, { lenses }) =>
      lenses.delete(lenses.environmentPath(environment, path`/api/kafka-connect/clusters/${cluster}/connectors/${connector}`)),
  }),
  defineTool({
    name: 'validate_connector_configuration',
    title: 'Validate connector configuration',
    description: 'Validates a Kafka connector configuration without creating it; reports errors per field.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      name: z.string().describe('The name of the connector.'),
      cluster: z.string().describe('The cluster name.'),
      configuration: z.record(z.string(), z.unknown()).describe('The connector configuration to validate.'),
    },
    run: ({ environment, name, cluster, configuration }, { lenses }) =>
      lenses.post(lenses.environmentPath(environment, path`/api/kafka-connect/validate`), { name, cluster, configuration }),
  }),
];
