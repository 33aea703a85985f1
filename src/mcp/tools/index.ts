import { approvalTools } from './approvals';
import { connectorTools } from './connectors';
import { consumerGroupTools } from './consumerGroups';
import { datasetTools } from './datasets';
import { environmentTools } from './environments';
import { sqlTools } from './sql';
import { sqlProcessorTools } from './sqlProcessors';
import { topicTools } from './topics';
import type { LensesTool } from './types';

export { defineTool, ToolArgumentError, type LensesTool, type ToolCard, type ToolContext, type ToolAnnotations } from './types';

/** Every Lenses tool, in the official server's registration order. The server's one table. */
export const LENSES_TOOLS: readonly LensesTool[] = [
  ...approvalTools,
  ...environmentTools,
  ...connectorTools,
  ...consumerGroupTools,
  ...sqlTools,
  ...sqlProcessorTools,
  ...topicTools,
  ...datasetTools,
];
