/**
 * A second yardstick for the standalone server's start: the same bare MCP SDK v2 server as
 * `bench/bareStdioServer.ts`, but with our 45 tool definitions (their input and output schemas)
 * instead of string-only arguments. Against it, `bench/stdioStart.ts` shows what the server
 * itself adds, apart from what building our tools' schemas costs.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { LENSES_TOOLS } from '../src/mcp/tools';

const server = new McpServer({ name: 'bare-sdk-v2-our-tools', version: '1' });
for (const tool of LENSES_TOOLS) {
  server.registerTool(tool.name, { description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema }, () => ({
    content: [{ type: 'text', text: '[]' }],
  }));
}
void server.connect(new StdioServerTransport());
