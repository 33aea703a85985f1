import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension } from './extension';

describe('activation (in the extension host)', () => {
  it('activates on startup and returns the API of its parts', async () => {
    const extension = await activatedExtension();
    assert.equal(extension.isActive, true);
    const api = extension.exports;
    assert.ok(api.authProvider && api.mcpProvider && api.embeddedServer && api.connectedApplications);
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0, `activationMs = ${api.activationMs}`);
  });

  it('registers every command its manifest contributes', async () => {
    const extension = await activatedExtension();
    const contributed = (extension.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
    );
    assert.ok(contributed.length >= 8, `${contributed.length} commands in the manifest`);
  });
});
