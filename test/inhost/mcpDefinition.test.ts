import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, within } from './extension';
import { definitionsProbe, lensesDefinitions } from './providedDefinitions';

describe('the Lenses MCP server definition while signed out (in the extension host)', () => {
  it('offers no server: nothing VS Code could forward to a Copilot-harness session that cannot work', async () => {
    const api = await extensionApi();
    assert.deepEqual(await api.mcpProvider.provideMcpServerDefinitions(), []);
    assert.equal(api.embeddedServer.isRunning, false, 'no embedded server without a session');
  });

  it('VS Code holds no provided Lenses definition (read through the proposed lm.mcpServerDefinitions, where the probe runs)', async function () {
    const probe = await definitionsProbe();
    if (!probe) this.skip();
    assert.deepEqual(lensesDefinitions(probe), []);
  });

  it('while signed out and with sign-in refused (test mode refuses dialogs), resolving starts no server', async () => {
    const api = await extensionApi();
    const stale = new vscode.McpHttpServerDefinition('Lenses', vscode.Uri.parse('http://127.0.0.1:9/mcp'));
    const resolved = await within(api.mcpProvider.resolveMcpServerDefinition(stale), 'resolveMcpServerDefinition', 20_000);
    assert.equal(resolved, undefined);
    assert.equal(api.embeddedServer.isRunning, false);
  });
});
