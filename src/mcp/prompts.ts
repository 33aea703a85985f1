/** The 10 prompts of the official Lenses MCP server (same names and arguments). */
export interface LensesPrompt {
  name: string;
  description: string;
  arguments: readonly string[];
  text(args: Record<string, string>): string;
}

const prompt = (name: string, description: string, args: readonly string[], text: (a: Record<string, string>) => string): LensesPrompt => ({
  name,
  description,
  arguments: args,
  text,
});

export const LENSES_PROMPTS: readonly LensesPrompt[] = [
  prompt(
    'list_connected_environments',
    'List all connected environments',
    [],
    () =>
      "Please list all environments where 'Agent Connected' has a value of 'True'.\nUse list_environments; if its answer ends by saying more are left out, pass the offset it names until none are.",
  ),
  prompt(
    'list_running_kafka_connectors',
    'List all running Kafka connectors in the environment',
    ['environment'],
    (a) =>
      `Please list all Kafka connectors in the '${a.environment}' environment that are currently running.\nInclude their status, cluster information, and task details.\nUse list_kafka_connectors (narrow it with cluster, class_name or a name filter); if its answer ends by saying more are left out, pass the offset it names until none are.`,
  ),
  prompt(
    'create_kafka_connector_guide',
    'Create a Kafka connector with the specified configuration',
    ['name', 'cluster', 'connector_class', 'environment'],
    (a) =>
      `Please create a Kafka connector named '${a.name}' in the '${a.environment}' environment on cluster '${a.cluster}' using connector class '${a.connector_class}'.\nThe connector should be configured with appropriate settings for its type. Validate the configuration with validate_connector_configuration before creating it.`,
  ),
  prompt(
    'troubleshoot_kafka_connector',
    'Troubleshoot a specific Kafka connector',
    ['connector_name', 'environment'],
    (a) =>
      `Please help troubleshoot the Kafka connector '${a.connector_name}' in the '${a.environment}' environment.\nFind it with list_kafka_connectors and filter '${a.connector_name}'.\nCheck its status, task states, configuration, and any error messages to identify issues.\nIf all tasks show 'RUNNING' status, then the connector is functioning properly.`,
  ),
  prompt(
    'validate_kafka_connector_config',
    'Validate a Kafka connector configuration before deployment',
    ['name', 'cluster', 'environment'],
    (a) =>
      `Please validate the configuration for connector '${a.name}' in the '${a.environment}' environment on cluster '${a.cluster}'. Check for any configuration errors or missing required parameters.`,
  ),
  prompt(
    'list_consumer_groups_for_topic',
    'List consumer groups for a specified topic in a specified environment',
    ['topic', 'environment'],
    (a) =>
      `Please list consumer groups for the '${a.topic}' topic in the '${a.environment}' environment.\nUse list_consumer_groups_by_topic; if its answer ends by saying more are left out, pass the offset it names until none are.`,
  ),
  prompt(
    'write_sql_query',
    'Write a Lenses SQL query to achieve a task',
    ['task'],
    (a) =>
      `Task: ${a.task}\n\nPlease write a SQL query that accomplishes this task efficiently.\n\nUse these specific guidelines in addition to SQL best practices for performance:\n1. Use JOINs (INNER, LEFT) based on the data relationships where appropriate\n2. Use WHERE clauses to reduce the number of records where possible\n3. Use indentation to format the query for readability\n4. Add a LIMIT when exploring data: execute_sql returns a bounded number of records`,
  ),
  prompt(
    'list_running_sql_processors',
    'List all running SQL processors in the environment',
    ['environment'],
    (a) =>
      `Please list all SQL processors in the '${a.environment}' environment that are currently running.\nInclude their status, deployment information, and any relevant metrics.\nUse list_sql_processors (a name filter narrows it); if its answer ends by saying more are left out, pass the offset it names until none are.`,
  ),
  prompt(
    'create_sql_processor_guide',
    'Create a SQL processor with the specified name and SQL query',
    ['name', 'sql', 'environment'],
    (a) =>
      `Please create a SQL processor named '${a.name}' in the '${a.environment}' environment with the following SQL query:\n\n${a.sql}\n\nThe processor should be configured with appropriate deployment settings.\nExample 'deployment' for Community Edition (in process mode): {mode: "IN_PROC"}\nUse when no deployment targets (Kubernetes or Connect clusters) are available.\nExample for Kubernetes: {mode: "KUBERNETES", details: {runners: 1, cluster: "incluster", namespace: "ai-agent"}}\nUse get_deployment_targets to determine 'cluster' and 'namespace'.`,
  ),
  prompt(
    'troubleshoot_sql_processor',
    'Troubleshoot a specific SQL processor',
    ['sql_processor_id', 'environment'],
    (a) =>
      `Please help troubleshoot the SQL processor with ID '${a.sql_processor_id}' in the '${a.environment}' environment.\nIf the ID cannot be found, assume it is the SQL processor's name and find it with list_sql_processors and filter '${a.sql_processor_id}'.\nCheck its status, deployment configuration, and logs to identify any issues.\nIf it has status 'RUNNING' then there are currently no issues.`,
  ),
];
