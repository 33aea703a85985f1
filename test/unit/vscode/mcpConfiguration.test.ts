import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  API_KEY_PLACEHOLDER,
  copiedMessage,
  mcpConfiguration,
  mcpConfigurationChoices,
  MCP_URL_PLACEHOLDER,
  NODE_REQUIREMENT,
} from '../../../src/vscode/mcpConfiguration';

const root = join(__dirname, '..', '..', '..');

describe('copy MCP configuration', () => {
  it("bundled stdio form runs the extension's copy of the server with node, LENSES_URL and an API key placeholder", () => {
    const text = mcpConfiguration('bundled', { lensesUrl: 'https://hq.example.com', bundledServerPath: '/home/u/.vscode/globalStorage/lenses/lenses-mcp.js' });
    assert.deepEqual(JSON.parse(text), {
      mcpServers: {
        lenses: {
          command: 'node',
          args: ['/home/u/.vscode/globalStorage/lenses/lenses-mcp.js'],
          env: { LENSES_URL: 'https://hq.example.com', LENSES_API_KEY: API_KEY_PLACEHOLDER },
        },
      },
    });
  });

  it("CL-21 offers no npx form: no lenses-mcp package is published, so nobody else's package runs with the API key", () => {
    const choices = mcpConfigurationChoices('');
    assert.deepEqual(
      choices.map((choice) => choice.kind),
      ['bundled', 'http', 'vscode'],
    );
    for (const choice of choices) assert.doesNotMatch(`${choice.label} ${choice.detail}`, /npx/);
    const everyForm = choices
      .map((choice) => mcpConfiguration(choice.kind, { lensesUrl: 'https://hq.example.com', bundledServerPath: '/p/lenses-mcp.js' }))
      .join('\n');
    assert.doesNotMatch(everyForm, /npx/);
  });

  it('HTTP forms use lenses.mcp.url when set, else a clearly marked placeholder, and carry no credential', () => {
    const text = mcpConfiguration('http', { lensesUrl: 'https://hq.example.com' });
    assert.deepEqual(JSON.parse(text), { mcpServers: { lenses: { type: 'http', url: MCP_URL_PLACEHOLDER } } });
    assert.match(MCP_URL_PLACEHOLDER, /^<.*>$/);
    assert.doesNotMatch(text, /Bearer|token|authorization/i);
    const withUrl = JSON.parse(mcpConfiguration('http', { lensesUrl: '', mcpUrl: 'https://mcp.example.com/mcp' })) as {
      mcpServers: { lenses: { url: string } };
    };
    assert.equal(withUrl.mcpServers.lenses.url, 'https://mcp.example.com/mcp');
  });

  it('VS Code form uses "servers" and "type", as mcp.json wants', () => {
    assert.deepEqual(JSON.parse(mcpConfiguration('vscode', { lensesUrl: '', mcpUrl: 'https://mcp.example.com/mcp' })), {
      servers: { lenses: { type: 'http', url: 'https://mcp.example.com/mcp' } },
    });
  });

  it('the message says the server path is on the remote machine in a remote window', () => {
    const [bundled, http] = mcpConfigurationChoices('');
    const inputs = { lensesUrl: 'https://hq.example.com', bundledServerPath: '/home/u/lenses-mcp.js' };
    assert.match(
      copiedMessage(bundled, { ...inputs, remoteName: 'ssh-remote' }),
      /The server path is on the remote machine \(ssh-remote\), not on this computer/,
    );
    assert.doesNotMatch(copiedMessage(bundled, inputs), /remote machine/);
    assert.match(copiedMessage(http, { lensesUrl: '' }), /Replace the server URL placeholder/);
    assert.doesNotMatch(copiedMessage(http, { lensesUrl: '', mcpUrl: 'https://mcp.example.com/mcp' }), /placeholder/);
  });

  it('CL-21 states the same Node.js version as the README, and the README suggests no npx lenses-mcp', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    assert.ok(readme.includes(NODE_REQUIREMENT), `README states ${NODE_REQUIREMENT}`);
    assert.match(mcpConfigurationChoices('')[0].detail, new RegExp(NODE_REQUIREMENT.replace(/[.+]/g, '\\$&')));
    assert.doesNotMatch(readme, /npx (-y )?lenses-mcp/);
  });
});
