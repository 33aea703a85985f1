/**
 * The yardstick for the standalone server's start: a bare MCP SDK v2 server over stdio with the
 * official server's 45 tools (names, string arguments and descriptions from
 * `test/unit/mcp/official-tools.json`), each answering without calling anything. `bench/stdioStart.ts`
 * bundles it with the bin's esbuild options, so both starts pay for the same kind of file.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

interface OfficialTool {
  name: string;
  description?: string;
  params: Array<{ name: string; required: boolean; description?: string }>;
}

const toolsFile = process.env.BARE_SERVER_TOOLS ?? path.join(__dirname, '../test/unit/mcp/official-tools.json');
const { tools } = JSON.parse(readFileSync(toolsFile, 'utf8')) as { tools: OfficialTool[] };

const server = new McpServer({ name: 'bare-sdk-v2', version: '1' });
for (const tool of tools) {
  const shape: Record<string, z.ZodType> = {};
  for (const param of tool.params) {
    const field = z.string().describe(param.description ?? param.name);
    shape[param.name] = param.required ? field : field.optional();
  }
  server.registerTool(tool.name, { description: tool.description ?? tool.name, inputSchema: z.object(shape) }, async () => ({
    content: [{ type: 'text', text: '[]' }],
  }));
}
void server.connect(new StdioServerTransport());
