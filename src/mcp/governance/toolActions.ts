import type { ToolCard } from '../tools/toolCard';
import { classifySql, shownSql } from './sqlStatements';

/** What a write or delete call would do, in words, and on what (for the confirmation and the audit line). */
export interface DescribedAction {
  /** The environment the call acts on (for create_environment: the one it creates). */
  environment?: string;
  /** The tier the call itself states (create_environment), so HQ need not be asked. */
  statedTier?: string;
  /** The resource's name: what the user types back to confirm a delete. */
  resource?: string;
  /** One sentence: "Delete connector orders-sink in prod". */
  sentence: string;
}

type Args = Record<string, unknown>;
type Describer = (args: Args, env: string) => Omit<DescribedAction, 'environment'> & { environment?: string };

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const list = (value: unknown): string => (Array.isArray(value) ? value.map(text).filter(Boolean).join(', ') : text(value));

/** Per tool: the sentence and the resource, from the validated arguments. */
const DESCRIBERS: Readonly<Record<string, Describer>> = {
  request_topic_creation: (a, env) => ({ resource: text(a.topic_name), sentence: `Request the creation of topic ${text(a.topic_name)} in ${env}` }),
  create_environment: (a) => ({
    environment: text(a.name),
    statedTier: text(a.tier) || undefined,
    resource: text(a.name),
    sentence: `Create environment ${text(a.name)}${text(a.tier) ? ` (tier ${text(a.tier)})` : ''}`,
  }),
  create_kafka_connector: (a, env) => ({ resource: text(a.name), sentence: `Create connector ${text(a.name)} on cluster ${text(a.cluster)} in ${env}` }),
  set_action_on_kafka_connector: (a, env) => ({
    resource: text(a.connector),
    sentence: `${capitalized(text(a.action))} connector ${text(a.connector)} on cluster ${text(a.cluster)} in ${env}`,
  }),
  restart_kafka_connector_task: (a, env) => ({
    resource: text(a.connector),
    sentence: `Restart task ${text(a.task_id)} of connector ${text(a.connector)} in ${env}`,
  }),
  delete_kafka_connector: (a, env) => ({ resource: text(a.connector), sentence: `Delete connector ${text(a.connector)} in ${env}` }),
  update_consumer_group_offsets: (a, env) => ({
    resource: text(a.group_id),
    sentence: `Reset the offsets of consumer group ${text(a.group_id)} to ${text(a.reset_to)} in ${env}`,
  }),
  delete_consumer_group_offsets: (a, env) => ({
    resource: text(a.group_id),
    sentence: `Delete the offsets of consumer group ${text(a.group_id)}${list(a.topics) ? ` for ${list(a.topics)}` : ''} in ${env}`,
  }),
  update_consumer_partition_offset: (a, env) => ({
    resource: text(a.group_id),
    sentence: `Set the offset of consumer group ${text(a.group_id)} on ${text(a.topic)} partition ${text(a.partition)} to ${text(a.offset)} in ${env}`,
  }),
  delete_consumer_partition_offset: (a, env) => ({
    resource: text(a.group_id),
    sentence: `Delete the offset of consumer group ${text(a.group_id)} on ${text(a.topic)} partition ${text(a.partition)} in ${env}`,
  }),
  delete_consumer_group: (a, env) => ({ resource: text(a.group_id), sentence: `Delete consumer group ${text(a.group_id)} in ${env}` }),
  create_sql_processor: (a, env) => ({ resource: text(a.name), sentence: `Create SQL processor ${text(a.name)} in ${env}` }),
  delete_sql_processor: (a, env) => ({ resource: text(a.sql_processor_id), sentence: `Delete SQL processor ${text(a.sql_processor_id)} in ${env}` }),
  create_topic: (a, env) => ({ resource: text(a.topic_name), sentence: `Create topic ${text(a.topic_name)} in ${env}` }),
  create_topic_with_schema: (a, env) => ({ resource: text(a.name), sentence: `Create topic ${text(a.name)} with a schema in ${env}` }),
  update_topic_config: (a, env) => ({ resource: text(a.topic_name), sentence: `Change the configuration of topic ${text(a.topic_name)} in ${env}` }),
  add_topic_partitions: (a, env) => ({
    resource: text(a.topic_name),
    sentence: `Add partitions to topic ${text(a.topic_name)} (partitions: ${text(a.partitions)}) in ${env}`,
  }),
  resend_message: (a, env) => ({
    resource: text(a.topic_name),
    sentence: `Resend the message at partition ${text(a.partition)}, offset ${text(a.offset)} of topic ${text(a.topic_name)} in ${env}`,
  }),
  update_topic_metadata: (a, env) => {
    const topic = typeof a.metadata === 'object' && a.metadata !== null && 'topicName' in a.metadata ? text(a.metadata.topicName) : '';
    return { resource: topic || undefined, sentence: `Update the metadata of ${topic ? `topic ${topic}` : 'a topic'} in ${env}` };
  },
  update_dataset_topic_description: (a, env) => ({ resource: text(a.topic_name), sentence: `Change the description of topic ${text(a.topic_name)} in ${env}` }),
  update_dataset_topic_tags: (a, env) => ({ resource: text(a.topic_name), sentence: `Change the tags of topic ${text(a.topic_name)} in ${env}` }),
  execute_sql: (a, env) => {
    const sql = classifySql(text(a.sql));
    // The table typed back to confirm is the one the strongest statement acts on.
    const strongest = sql.statements.find((statement) => statement.scope === sql.scope);
    return { resource: strongest?.table, sentence: `Run this SQL in ${env}: ${shownSql(sql)}` };
  },
};

/** What `tool` called with the (validated) `args` would do. Unknown tools get their title. */
export function describeAction(tool: Pick<ToolCard, 'name' | 'title'>, args: Args): DescribedAction {
  const environment = text(args.environment) || undefined;
  const env = environment ?? 'Lenses';
  const described = DESCRIBERS[tool.name]?.(args, env) ?? { sentence: environment ? `${tool.title} in ${environment}` : tool.title };
  return { environment, ...described, resource: described.resource || undefined };
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
