/** The Lenses areas a tool filter may name, in the order "Show Available Tools" lists them. */
export const TOOL_AREAS = ['environments', 'topics', 'datasets', 'connectors', 'consumer_groups', 'sql', 'sql_processors', 'approvals'] as const;

export type ToolArea = (typeof TOOL_AREAS)[number];

/**
 * The names of the tools of each area (the file under src/mcp/tools that defines them), as
 * plain data: the editor checks its tool filters at activation without loading the tool
 * definitions, their schemas and the MCP SDK. A unit test holds it equal to the tools.
 */
export const TOOL_NAMES_OF_AREA: Readonly<Record<ToolArea, readonly string[]>> = {
  environments: ['list_environments', 'get_environment', 'create_environment', 'check_environment_health'],
  topics: [
    'list_topics',
    'get_topic',
    'get_topic_partitions',
    'create_topic',
    'create_topic_with_schema',
    'update_topic_config',
    'get_topic_broker_configs',
    'add_topic_partitions',
    'resend_message',
    'list_topic_metadata',
    'get_topic_metadata',
    'update_topic_metadata',
  ],
  datasets: ['list_datasets', 'get_dataset', 'get_dataset_message_metrics', 'update_dataset_topic_description', 'update_dataset_topic_tags'],
  connectors: [
    'list_kafka_connectors',
    'get_kafka_connector_target_definition',
    'create_kafka_connector',
    'set_action_on_kafka_connector',
    'restart_kafka_connector_task',
    'delete_kafka_connector',
    'validate_connector_configuration',
  ],
  consumer_groups: [
    'list_consumer_groups',
    'list_consumer_groups_by_topic',
    'update_consumer_group_offsets',
    'delete_consumer_group_offsets',
    'update_consumer_partition_offset',
    'delete_consumer_partition_offset',
    'delete_consumer_group',
  ],
  sql: ['execute_sql'],
  sql_processors: ['list_sql_processors', 'get_sql_processor', 'create_sql_processor', 'delete_sql_processor', 'get_deployment_targets', 'get_pod_logs'],
  approvals: ['request_topic_creation', 'list_approval_requests', 'get_approval_request'],
};

const AREA_OF_TOOL = new Map<string, ToolArea>(TOOL_AREAS.flatMap((area) => TOOL_NAMES_OF_AREA[area].map((name) => [name, area] as const)));

/** Every tool name, as plain data (see TOOL_NAMES_OF_AREA). */
export const TOOL_NAMES: ReadonlySet<string> = new Set(AREA_OF_TOOL.keys());

export function isToolArea(value: string): value is ToolArea {
  return (TOOL_AREAS as readonly string[]).includes(value);
}

/** The area a tool belongs to (by the file that defines it); undefined for a tool outside the eight areas. */
export function areaOf(toolName: string): ToolArea | undefined {
  return AREA_OF_TOOL.get(toolName);
}

/** "consumer_groups" → "consumer groups", for people. */
export function areaLabel(area: ToolArea): string {
  return area === 'sql' ? 'SQL' : area === 'sql_processors' ? 'SQL processors' : area.replace('_', ' ');
}
