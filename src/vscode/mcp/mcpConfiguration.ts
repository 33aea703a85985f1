/**
 * How another MCP client is configured to reach Lenses: one form per client and transport,
 * in the format that client reads. No `vscode` import. No `npx` form: no `lenses-mcp`
 * package is published, and whoever published that name first would run with the user's
 * `LENSES_API_KEY`. No secret in any form: the API key is a placeholder (or, in a project
 * file, a reference to the environment), and the HTTP forms rely on the client's own OAuth.
 */

/** The clients a configuration is offered for. */
export type McpClient = 'claude-desktop-cursor' | 'vscode' | 'claude-code-command' | 'claude-code-project' | 'copilot-cli' | 'codex-cli';
/** stdio with the server bundled in the extension, or streamable HTTP to a running server with OAuth. */
export type McpTransportForm = 'stdio' | 'http';

export interface McpConfigurationKind {
  client: McpClient;
  transport: McpTransportForm;
}

export const API_KEY_PLACEHOLDER = '<your Lenses API key>';
/** Stands in for the server URL when `lenses.mcp.url` is not set: clearly not a URL to use as is. */
export const MCP_URL_PLACEHOLDER = '<URL of your lenses-mcp server, e.g. https://mcp.example.com/mcp>';
/** The Node.js the bundled server needs, as the README states it. */
export const NODE_REQUIREMENT = 'Node.js 20.19+';
/** The server's name in every form. */
export const SERVER_NAME = 'lenses';
/** A project file is checked in: it names the variable, Claude Code fills it in from the environment. */
export const API_KEY_FROM_ENVIRONMENT = '${LENSES_API_KEY}';

export interface McpConfigurationInputs {
  /** `lenses.url`. */
  lensesUrl: string;
  /** `lenses.mcp.url`: a running Lenses MCP server to point HTTP clients at. */
  mcpUrl?: string;
  /** Where this extension keeps its copy of the standalone server (stdio forms only). */
  bundledServerPath?: string;
}

/** One entry of the "Copy MCP Configuration" pick list. */
export interface McpConfigurationChoice {
  kind: McpConfigurationKind;
  label: string;
  detail: string;
  /** The editor language the form opens in. */
  language: 'json' | 'plaintext' | 'shellscript';
  /** Where the form goes, said in the message after copying. */
  destination: string;
}

interface ClientDescription {
  name: string;
  language: McpConfigurationChoice['language'];
  destination: string;
  /** How the client signs in to Lenses over HTTP, said in the pick list. */
  signIn: string;
}

const CLIENTS: Record<McpClient, ClientDescription> = {
  'claude-desktop-cursor': {
    name: 'Claude Desktop / Cursor',
    language: 'json',
    destination: 'claude_desktop_config.json (Claude Desktop) or ~/.cursor/mcp.json (Cursor), under "mcpServers"',
    signIn: 'Cursor signs in to Lenses itself (Claude Desktop adds remote servers as connectors in its settings instead)',
  },
  vscode: {
    name: 'VS Code (mcp.json)',
    language: 'json',
    destination: 'VS Code\'s mcp.json (user or .vscode/mcp.json), under "servers"',
    signIn: 'VS Code signs in to Lenses itself',
  },
  'claude-code-command': {
    name: 'Claude Code (claude mcp add)',
    language: 'shellscript',
    destination: 'a terminal',
    signIn: 'then /mcp in Claude Code signs in to Lenses',
  },
  'claude-code-project': {
    name: 'Claude Code (project .mcp.json)',
    language: 'json',
    destination: '.mcp.json at the root of your project',
    signIn: 'then /mcp in Claude Code signs in to Lenses',
  },
  'copilot-cli': {
    name: 'GitHub Copilot CLI',
    language: 'json',
    destination: '~/.copilot/mcp-config.json, under "mcpServers"',
    signIn: 'Copilot CLI signs in to Lenses itself',
  },
  'codex-cli': {
    name: 'Codex CLI',
    language: 'plaintext',
    destination: '~/.codex/config.toml',
    signIn: 'then `codex mcp login lenses` signs in to Lenses',
  },
};

/** Every form offered, stdio and HTTP for each client. */
export function mcpConfigurationChoices(mcpUrl: string): McpConfigurationChoice[] {
  const server = mcpUrl || 'your running lenses-mcp server';
  return (Object.keys(CLIENTS) as McpClient[]).flatMap((client) => {
    const { name, language, destination, signIn } = CLIENTS[client];
    return [
      {
        kind: { client, transport: 'stdio' },
        label: `${name} — stdio, bundled server`,
        detail: `Runs the Lenses MCP server shipped with this extension (needs ${NODE_REQUIREMENT}) with LENSES_URL and a Lenses API key`,
        language,
        destination,
      },
      {
        kind: { client, transport: 'http' },
        label: `${name} — HTTP with OAuth`,
        detail: `Connects to ${server}; ${signIn}`,
        language,
        destination,
      },
    ];
  });
}

/** The configuration text for one client and transport. */
export function mcpConfiguration(kind: McpConfigurationKind, inputs: McpConfigurationInputs): string {
  return kind.transport === 'stdio' ? stdioForm(kind.client, stdioServer(inputs, kind.client)) : httpForm(kind.client, inputs.mcpUrl || MCP_URL_PLACEHOLDER);
}

interface StdioServer {
  command: string;
  args: string[];
  env: Record<string, string>;
}

function stdioServer(inputs: McpConfigurationInputs, client: McpClient): StdioServer {
  if (!inputs.bundledServerPath) throw new Error('The bundled Lenses MCP server path is missing');
  const apiKey = client === 'claude-code-project' ? API_KEY_FROM_ENVIRONMENT : API_KEY_PLACEHOLDER;
  return { command: 'node', args: [inputs.bundledServerPath], env: { LENSES_URL: inputs.lensesUrl || 'http://localhost:9991', LENSES_API_KEY: apiKey } };
}

function stdioForm(client: McpClient, server: StdioServer): string {
  switch (client) {
    case 'claude-desktop-cursor':
      return json({ mcpServers: { [SERVER_NAME]: server } });
    case 'vscode':
      return json({ servers: { [SERVER_NAME]: { type: 'stdio', ...server } } });
    case 'claude-code-project':
      return json({ mcpServers: { [SERVER_NAME]: { type: 'stdio', ...server } } });
    case 'copilot-cli':
      return json({ mcpServers: { [SERVER_NAME]: { type: 'local', ...server, tools: ['*'] } } });
    case 'claude-code-command': {
      // The name before the options: `--env` takes every word up to the next option, so a name after it would be read as one more variable.
      const env = Object.entries(server.env).flatMap(([name, value]) => ['--env', shellQuote(`${name}=${value}`)]);
      return ['claude mcp add', SERVER_NAME, '--transport stdio --scope user', ...env, '--', server.command, ...server.args.map(shellQuote)].join(' ') + '\n';
    }
    case 'codex-cli':
      return [
        `[mcp_servers.${SERVER_NAME}]`,
        `command = ${tomlString(server.command)}`,
        `args = [${server.args.map(tomlString).join(', ')}]`,
        '',
        `[mcp_servers.${SERVER_NAME}.env]`,
        ...Object.entries(server.env).map(([name, value]) => `${name} = ${tomlString(value)}`),
        '',
      ].join('\n');
  }
}

function httpForm(client: McpClient, url: string): string {
  switch (client) {
    case 'claude-desktop-cursor':
      return json({ mcpServers: { [SERVER_NAME]: { url } } });
    case 'vscode':
      return json({ servers: { [SERVER_NAME]: { type: 'http', url } } });
    case 'claude-code-project':
      return json({ mcpServers: { [SERVER_NAME]: { type: 'http', url } } });
    case 'copilot-cli':
      return json({ mcpServers: { [SERVER_NAME]: { type: 'http', url, tools: ['*'] } } });
    case 'claude-code-command':
      return `claude mcp add --transport http --scope user ${SERVER_NAME} ${shellQuote(url)}\n`;
    case 'codex-cli':
      return [`[mcp_servers.${SERVER_NAME}]`, `url = ${tomlString(url)}`, ''].join('\n');
  }
}

/** What the notification says after copying: where it goes, what to replace, and where the server path lives. */
export function copiedMessage(choice: McpConfigurationChoice, inputs: McpConfigurationInputs & { remoteName?: string }): string {
  const parts = [
    `Copied the Lenses MCP configuration (${choice.label}) to the clipboard and opened it in an editor. ${choice.language === 'shellscript' ? 'Run it in' : 'It goes in'} ${choice.destination}.`,
  ];
  if (choice.kind.transport === 'stdio') {
    parts.push(
      choice.kind.client === 'claude-code-project'
        ? 'It reads the API key from LENSES_API_KEY in the environment Claude Code starts in.'
        : 'Replace the API key placeholder with your key.',
    );
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

/** One POSIX shell word: single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A TOML basic string: JSON's escapes are TOML's too; DEL is the one control character JSON leaves as is. */
export function tomlString(value: string): string {
  return JSON.stringify(value).replace(/\x7f/g, '\\u007F');
}
