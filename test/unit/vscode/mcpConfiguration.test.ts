import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import {
  API_KEY_FROM_ENVIRONMENT,
  API_KEY_PLACEHOLDER,
  copiedMessage,
  mcpConfiguration,
  mcpConfigurationChoices,
  MCP_URL_PLACEHOLDER,
  NODE_REQUIREMENT,
  type McpClient,
  type McpConfigurationKind,
} from '../../../src/vscode/mcp/mcpConfiguration';

const root = join(__dirname, '..', '..', '..');
const SERVER_PATH = '/home/u/.vscode/globalStorage/lenses/lenses-mcp.js';
const inputs = { lensesUrl: 'https://hq.example.com', mcpUrl: 'https://mcp.example.com/mcp', bundledServerPath: SERVER_PATH };
const form = (client: McpClient, transport: 'stdio' | 'http', extra: Partial<typeof inputs> = {}) =>
  mcpConfiguration({ client, transport }, { ...inputs, ...extra });
/** Codex reads config.toml with a TOML parser; plain objects to compare. */
const parseToml = (text: string): unknown => JSON.parse(JSON.stringify(parse(text)));
const stdioEnv = { LENSES_URL: 'https://hq.example.com', LENSES_API_KEY: API_KEY_PLACEHOLDER };

/** A POSIX shell's words of one command line (single and double quotes, backslash), as the shell hands them to `claude`. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      assert.ok(end > i, `unclosed quote in ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      assert.ok(!'"$`<>|;&*?'.includes(c), `unquoted shell character ${c} in ${line}`);
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * `claude mcp add <name> <commandOrUrl> [args...]` read the way its option parser does:
 * `--transport` and `--scope` take one word, `--env` is variadic (it takes every word up to
 * the next option, so a name placed after it would be taken as a variable), `--` ends the
 * options. Every `--env` value must be KEY=value, as Claude Code refuses anything else.
 */
function claudeMcpAdd(line: string): { options: Record<string, string>; env: string[]; name: string; rest: string[] } {
  const words = shellWords(line);
  assert.deepEqual(words.slice(0, 3), ['claude', 'mcp', 'add']);
  const options: Record<string, string> = {};
  const env: string[] = [];
  const positional: string[] = [];
  let i = 3;
  while (i < words.length) {
    const word = words[i++];
    if (word === '--') {
      positional.push(...words.slice(i));
      break;
    }
    if (word === '--env' || word === '-e') {
      while (i < words.length && !words[i].startsWith('-')) env.push(words[i++]);
    } else if (word.startsWith('-')) {
      options[word] = words[i++];
    } else {
      positional.push(word);
    }
  }
  for (const pair of env) assert.match(pair, /^[A-Z_][A-Z0-9_]*=/, `Invalid environment variable format: ${pair}`);
  const [name, ...rest] = positional;
  return { options, env, name, rest };
}

describe('copy MCP configuration: a form for each client, read as that client reads it', () => {
  it('offers stdio and HTTP for Claude Desktop / Cursor, VS Code, Claude Code (command and .mcp.json), Copilot CLI and Codex CLI', () => {
    const kinds = mcpConfigurationChoices('').map((choice) => `${choice.kind.client}:${choice.kind.transport}`);
    assert.deepEqual(kinds, [
      'claude-desktop-cursor:stdio',
      'claude-desktop-cursor:http',
      'vscode:stdio',
      'vscode:http',
      'claude-code-command:stdio',
      'claude-code-command:http',
      'claude-code-project:stdio',
      'claude-code-project:http',
      'copilot-cli:stdio',
      'copilot-cli:http',
      'codex-cli:stdio',
      'codex-cli:http',
    ]);
  });

  it('Claude Desktop / Cursor: mcpServers with command, args and env (stdio); a url Cursor connects to and signs in with (HTTP)', () => {
    assert.deepEqual(JSON.parse(form('claude-desktop-cursor', 'stdio')), { mcpServers: { lenses: { command: 'node', args: [SERVER_PATH], env: stdioEnv } } });
    assert.deepEqual(JSON.parse(form('claude-desktop-cursor', 'http')), { mcpServers: { lenses: { url: 'https://mcp.example.com/mcp' } } });
  });

  it('VS Code: "servers" with a "type", as mcp.json wants', () => {
    assert.deepEqual(JSON.parse(form('vscode', 'stdio')), { servers: { lenses: { type: 'stdio', command: 'node', args: [SERVER_PATH], env: stdioEnv } } });
    assert.deepEqual(JSON.parse(form('vscode', 'http')), { servers: { lenses: { type: 'http', url: 'https://mcp.example.com/mcp' } } });
  });

  it('Claude Code command line: the name where the variadic --env cannot take it, the server command after "--", every word quoted for the shell', () => {
    const stdio = claudeMcpAdd(form('claude-code-command', 'stdio', { bundledServerPath: "/Users/o'neil/Library/Lenses MCP/lenses-mcp.js" }));
    assert.deepEqual(stdio.options, { '--transport': 'stdio', '--scope': 'user' });
    assert.deepEqual(stdio.env, ['LENSES_URL=https://hq.example.com', `LENSES_API_KEY=${API_KEY_PLACEHOLDER}`]);
    assert.equal(stdio.name, 'lenses');
    assert.deepEqual(stdio.rest, ['node', "/Users/o'neil/Library/Lenses MCP/lenses-mcp.js"]);
    const http = claudeMcpAdd(form('claude-code-command', 'http'));
    assert.deepEqual(http.options, { '--transport': 'http', '--scope': 'user' });
    assert.equal(http.name, 'lenses');
    assert.deepEqual(http.rest, ['https://mcp.example.com/mcp']);
    // the placeholder URL is quoted too: pasted as is, it is one word, never a redirection
    assert.deepEqual(claudeMcpAdd(form('claude-code-command', 'http', { mcpUrl: '' })).rest, [MCP_URL_PLACEHOLDER]);
  });

  it('Claude Code project .mcp.json: typed entries; the API key is ${LENSES_API_KEY}, taken from the environment, so the checked-in file holds no key', () => {
    assert.deepEqual(JSON.parse(form('claude-code-project', 'stdio')), {
      mcpServers: {
        lenses: {
          type: 'stdio',
          command: 'node',
          args: [SERVER_PATH],
          env: { LENSES_URL: 'https://hq.example.com', LENSES_API_KEY: API_KEY_FROM_ENVIRONMENT },
        },
      },
    });
    assert.deepEqual(JSON.parse(form('claude-code-project', 'http')), { mcpServers: { lenses: { type: 'http', url: 'https://mcp.example.com/mcp' } } });
  });

  it('GitHub Copilot CLI: mcp-config.json entries of type "local" or "http" with the tools they may call', () => {
    assert.deepEqual(JSON.parse(form('copilot-cli', 'stdio')), {
      mcpServers: { lenses: { type: 'local', command: 'node', args: [SERVER_PATH], env: stdioEnv, tools: ['*'] } },
    });
    assert.deepEqual(JSON.parse(form('copilot-cli', 'http')), { mcpServers: { lenses: { type: 'http', url: 'https://mcp.example.com/mcp', tools: ['*'] } } });
  });

  it('Codex CLI: a [mcp_servers.lenses] TOML table with command, args and env, or url; a Windows path survives the TOML escapes', () => {
    const windowsPath = 'C:\\Users\\Ann "A"\\AppData\\lenses-mcp.js';
    assert.deepEqual(parseToml(form('codex-cli', 'stdio', { bundledServerPath: windowsPath })), {
      mcp_servers: { lenses: { command: 'node', args: [windowsPath], env: stdioEnv } },
    });
    assert.deepEqual(parseToml(form('codex-cli', 'http')), { mcp_servers: { lenses: { url: 'https://mcp.example.com/mcp' } } });
    assert.deepEqual(parseToml(form('codex-cli', 'http', { mcpUrl: '' })), { mcp_servers: { lenses: { url: MCP_URL_PLACEHOLDER } } });
  });

  it('CL-21 offers no npx form and no form carries a credential: API keys are placeholders or environment references, HTTP relies on OAuth', () => {
    for (const choice of mcpConfigurationChoices('')) {
      const kind: McpConfigurationKind = choice.kind;
      const text = mcpConfiguration(kind, { lensesUrl: 'https://hq.example.com', bundledServerPath: '/p/lenses-mcp.js' });
      assert.doesNotMatch(`${choice.label} ${choice.detail} ${text}`, /npx/);
      assert.doesNotMatch(text, /Bearer|authorization|headers|token/i, choice.label);
      const keys = [...text.matchAll(/LENSES_API_KEY[^\n]*/g)].map((match) => match[0]);
      for (const key of keys) assert.ok(key.includes(API_KEY_PLACEHOLDER) || key.includes(API_KEY_FROM_ENVIRONMENT), `${choice.label}: ${key}`);
      assert.equal(keys.length, kind.transport === 'stdio' ? 1 : 0, choice.label);
    }
  });

  it('the message says where the form goes, what to replace, and that the server path is on the remote machine in a remote window', () => {
    const choices = mcpConfigurationChoices('');
    const find = (client: McpClient, transport: string) => choices.find((c) => c.kind.client === client && c.kind.transport === transport)!;
    const local = { lensesUrl: 'https://hq.example.com', bundledServerPath: '/home/u/lenses-mcp.js' };
    const bundled = find('claude-desktop-cursor', 'stdio');
    assert.match(
      copiedMessage(bundled, { ...local, remoteName: 'ssh-remote' }),
      /The server path is on the remote machine \(ssh-remote\), not on this computer/,
    );
    assert.doesNotMatch(copiedMessage(bundled, local), /remote machine/);
    assert.match(copiedMessage(bundled, local), /Replace the API key placeholder/);
    assert.match(copiedMessage(find('codex-cli', 'stdio'), local), /It goes in ~\/\.codex\/config\.toml/);
    assert.match(copiedMessage(find('claude-code-command', 'http'), local), /Run it in a terminal/);
    assert.match(copiedMessage(find('claude-code-project', 'stdio'), local), /reads the API key from LENSES_API_KEY/);
    const http = find('copilot-cli', 'http');
    assert.match(copiedMessage(http, { lensesUrl: '' }), /Replace the server URL placeholder/);
    assert.doesNotMatch(copiedMessage(http, { lensesUrl: '', mcpUrl: 'https://mcp.example.com/mcp' }), /placeholder/);
  });

  it("CL-21 states the same Node.js version as the README and the operator's guide, and neither suggests npx lenses-mcp", () => {
    for (const file of ['README.md', 'docs/STANDALONE.md']) {
      const doc = readFileSync(join(root, file), 'utf8');
      assert.ok(doc.includes(NODE_REQUIREMENT), `${file} states ${NODE_REQUIREMENT}`);
      assert.doesNotMatch(doc, /npx (-y )?lenses-mcp/, file);
    }
    assert.match(mcpConfigurationChoices('')[0].detail, new RegExp(NODE_REQUIREMENT.replace(/[.+]/g, '\\$&')));
  });
});
