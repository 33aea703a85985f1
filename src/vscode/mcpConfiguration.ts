/** How another MCP client (Claude Desktop, Cursor, …) is configured to reach Lenses. */
export type McpConfigurationKind = 'bundled' | 'npx' | 'http';

export const API_KEY_PLACEHOLDER = '<your Lenses API key>';
export const STANDALONE_HTTP_URL = 'http://localhost:8000/mcp';

export interface McpConfigurationInputs {
  /** `lenses.url`. */
  lensesUrl: string;
  /** `lenses.mcp.url`: a running Lenses MCP server to point HTTP clients at. */
  mcpUrl?: string;
  /** Where this extension keeps its copy of the standalone server (`bundled` only). */
  bundledServerPath?: string;
}

/**
 * The `mcpServers` JSON for another tool. Never contains a secret: the API key is a
 * placeholder and the HTTP form relies on the client's own OAuth sign-in.
 */
export function mcpConfiguration(kind: McpConfigurationKind, inputs: McpConfigurationInputs): string {
  const env = { LENSES_URL: inputs.lensesUrl || 'http://localhost:9991', LENSES_API_KEY: API_KEY_PLACEHOLDER };
  let server: Record<string, unknown>;
  switch (kind) {
    case 'bundled':
      if (!inputs.bundledServerPath) throw new Error('The bundled Lenses MCP server path is missing');
      server = { command: 'node', args: [inputs.bundledServerPath], env };
      break;
    case 'npx':
      server = { command: 'npx', args: ['-y', 'lenses-mcp'], env };
      break;
    case 'http':
      server = { type: 'http', url: inputs.mcpUrl || STANDALONE_HTTP_URL };
      break;
  }
  return JSON.stringify({ mcpServers: { lenses: server } }, null, 2);
}
