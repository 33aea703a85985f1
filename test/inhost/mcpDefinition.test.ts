import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, within } from './extension';

describe('the Lenses MCP server definition (in the extension host)', () => {
  it('offers one "Lenses" HTTP server, a placeholder on 127.0.0.1 until it is resolved', async () => {
    const api = await extensionApi();
    const definitions = api.mcpProvider.provideMcpServerDefinitions();
    assert.equal(definitions.length, 1);
    const [definition] = definitions;
    assert.ok(definition instanceof vscode.McpHttpServerDefinition, 'a real vscode.McpHttpServerDefinition');
    assert.equal(definition.label, 'Lenses');
    assert.equal(definition.uri.toString(), 'http://127.0.0.1/mcp');
    assert.deepEqual(definition.headers, {});
  });

  it('while signed out and with sign-in refused (test mode refuses dialogs), resolving starts no server', async () => {
    const api = await extensionApi();
    const [placeholder] = api.mcpProvider.provideMcpServerDefinitions();
    const resolved = await within(api.mcpProvider.resolveMcpServerDefinition(placeholder), 'resolveMcpServerDefinition', 20_000);
    assert.equal(resolved, undefined);
  });
});
