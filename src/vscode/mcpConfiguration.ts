/**
 * How another MCP client is configured to reach Lenses. No `npx` form: no `lenses-mcp`
 * package is published, and whoever published that name first would run with the user's
 * `LENSES_API_KEY`.
 */
export type McpConfigurationKind = 'bundled' | 'http' | 'vscode';

export const API_KEY_PLACEHOLDER = '<your Lenses API key>';
/** Stands in for the server URL when `lenses.mcp.url` is not set: clearly not a URL to use as is. */
export const MCP_URL_PLACEHOLDER = '<URL of your lenses-mcp server, e.g. https://mcp.example.com/mcp>';
/** The Node.js the bundled server needs, as the README states it. */
export const NODE_REQUIREMENT = 'Node.js 20.19+';

export interface McpConfigurationInputs {
  /** `lenses.url`. */
  lensesUrl: string;
  /** `lenses.mcp.url`: a running Lenses MCP server to point HTTP clients at. */
  mcpUrl?: string;
  /** Where this extension keeps its copy of the standalone server (`bundled` only). */
  bundledServerPath?: string;
}

/** One entry of the "Copy MCP Configuration" pick list. */
export interface McpConfigurationChoice {
  kind: McpConfigurationKind;
  label: string;
  detail: string;
}

export function mcpConfigurationChoices(mcpUrl: string): McpConfigurationChoice[] {
  const server = mcpUrl || 'your running lenses-mcp server';
  return [
    {
      kind: 'bundled',
      label: 'Claude Desktop / Cursor — stdio, bundled server',
      detail: `Runs the Lenses MCP server shipped with this extension (needs ${NODE_REQUIREMENT}) with LENSES_URL and a Lenses API key`,
    },
    { kind: 'http', label: 'Claude / Cursor — HTTP with OAuth', detail: `Connects to ${server}; the client signs in to Lenses itself` },
    { kind: 'vscode', label: 'VS Code (mcp.json) — HTTP with OAuth', detail: `"servers" with "type": "http" for ${server}; VS Code signs in to Lenses itself` },
  ];
}

/**
 * The configuration JSON for another tool: `mcpServers` for Claude Desktop and Cursor,
 * `servers` with `type` for VS Code's `mcp.json`. Never contains a secret: the API key is a
 * placeholder and the HTTP forms rely on the client's own OAuth sign-in.
 */
export function mcpConfiguration(kind: McpConfigurationKind, inputs: McpConfigurationInputs): string {
  const url = inputs.mcpUrl || MCP_URL_PLACEHOLDER;
  switch (kind) {
    case 'bundled': {
      if (!inputs.bundledServerPath) throw new Error('The bundled Lenses MCP server path is missing');
      const env = { LENSES_URL: inputs.lensesUrl || 'http://localhost:9991', LENSES_API_KEY: API_KEY_PLACEHOLDER };
      return json({ mcpServers: { lenses: { command: 'node', args: [inputs.bundledServerPath], env } } });
    }
    case 'http':
      return json({ mcpServers: { lenses: { type: 'http', url } } });
    case 'vscode':
      return json({ servers: { lenses: { type: 'http', url } } });
  }
}

/** What the notification says after copying: what to replace, and where the server path lives. */
export function copiedMessage(choice: McpConfigurationChoice, inputs: McpConfigurationInputs & { remoteName?: string }): string {
  const parts = [`Copied the Lenses MCP configuration (${choice.label}) to the clipboard and opened it in an editor.`];
  if (choice.kind === 'bundled') {
    parts.push('Replace the API key placeholder with your key.');
    parts.push(
      inputs.remoteName
        ? `The server path is on the remote machine (${inputs.remoteName}), not on this computer: use the configuration there, with ${NODE_REQUIREMENT} on its PATH.`
        : `It needs ${NODE_REQUIREMENT} on the PATH.`,
    );
  } else if (!inputs.mcpUrl) {
    parts.push('Replace the server URL placeholder with the URL of your lenses-mcp server (or set lenses.mcp.url and copy again).');
  }
  return parts.join(' ');
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
