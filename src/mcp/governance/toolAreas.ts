import { approvalTools } from '../tools/approvals';
import { connectorTools } from '../tools/connectors';
import { consumerGroupTools } from '../tools/consumerGroups';
import { datasetTools } from '../tools/datasets';
import { environmentTools } from '../tools/environments';
import { sqlTools } from '../tools/sql';
import { sqlProcessorTools } from '../tools/sqlProcessors';
import { topicTools } from '../tools/topics';
import type { LensesTool } from '../tools/types';

/** The Lenses areas a tool filter may name, in the order "Show Available Tools" lists them. */
export const TOOL_AREAS = ['environments', 'topics', 'datasets', 'connectors', 'consumer_groups', 'sql', 'sql_processors', 'approvals'] as const;

export type ToolArea = (typeof TOOL_AREAS)[number];

const TOOLS_OF_AREA: Readonly<Record<ToolArea, readonly LensesTool[]>> = {
  environments: environmentTools,
  topics: topicTools,
  datasets: datasetTools,
  connectors: connectorTools,
  consumer_groups: consumerGroupTools,
  sql: sqlTools,
  sql_processors: sqlProcessorTools,
  approvals: approvalTools,
};

const AREA_OF_TOOL = new Map<string, ToolArea>(TOOL_AREAS.flatMap((area) => TOOLS_OF_AREA[area].map((tool) => [tool.name, area] as const)));

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
