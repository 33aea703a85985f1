/** How another MCP client (Claude Desktop, Cursor, …) is configured to reach Lenses. */
export type McpConfigurationKind = 'stdio' | 'http';

export const API_KEY_PLACEHOLDER = '<your Lenses API key>';
export const STANDALONE_HTTP_URL = 'http://localhost:8000/mcp';

/**
 * The `mcpServers` JSON for another tool. Never contains a secret: the API key is a
 * placeholder and the HTTP form relies on the client's own OAuth sign-in.
 */
export function mcpConfiguration(kind: McpConfigurationKind, lensesUrl: string): string {
  const server =
    kind === 'stdio'
      ? { command: 'npx', args: ['-y', 'lenses-mcp'], env: { LENSES_URL: lensesUrl || 'http://localhost:9991', LENSES_API_KEY: API_KEY_PLACEHOLDER } }
      : { url: STANDALONE_HTTP_URL };
  return JSON.stringify({ mcpServers: { lenses: server } }, null, 2);
}
