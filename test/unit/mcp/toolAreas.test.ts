import assert from 'node:assert/strict';
import { TOOL_AREAS, TOOL_NAMES, TOOL_NAMES_OF_AREA } from '../../../src/mcp/governance/toolAreas';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { approvalTools } from '../../../src/mcp/tools/approvals';
import { connectorTools } from '../../../src/mcp/tools/connectors';
import { consumerGroupTools } from '../../../src/mcp/tools/consumerGroups';
import { datasetTools } from '../../../src/mcp/tools/datasets';
import { environmentTools } from '../../../src/mcp/tools/environments';
import { sqlTools } from '../../../src/mcp/tools/sql';
import { sqlProcessorTools } from '../../../src/mcp/tools/sqlProcessors';
import { topicTools } from '../../../src/mcp/tools/topics';

// The editor checks its tool filters against these names at activation, without loading the tools.
describe('tool areas (the plain-data names the editor checks filters against)', () => {
  it('names, per area, exactly the tools of the file that defines that area', () => {
    const files = {
      environments: environmentTools,
      topics: topicTools,
      datasets: datasetTools,
      connectors: connectorTools,
      consumer_groups: consumerGroupTools,
      sql: sqlTools,
      sql_processors: sqlProcessorTools,
      approvals: approvalTools,
    };
    for (const area of TOOL_AREAS) {
      assert.deepEqual([...TOOL_NAMES_OF_AREA[area]].sort(), files[area].map((tool) => tool.name).sort(), `area ${area}`);
    }
  });

  it('holds every tool the server offers, and nothing else', () => {
    assert.deepEqual([...TOOL_NAMES].sort(), LENSES_TOOLS.map((tool) => tool.name).sort());
  });
});
