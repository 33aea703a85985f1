import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, within } from './extension';

const PROVIDER_ID = 'lenses';

describe('the "Lenses" authentication provider (in the extension host)', () => {
  it('is registered with VS Code: a silent getSession answers "signed out" (an unregistered provider times out with an error)', async () => {
    await extensionApi();
    const session = await within(vscode.authentication.getSession(PROVIDER_ID, ['read'], { silent: true }), 'getSession(silent)');
    assert.equal(session, undefined);
  });

  it('has no sessions and no accounts while signed out', async () => {
    const api = await extensionApi();
    assert.deepEqual(await api.authProvider.getSessions(undefined), []);
    assert.deepEqual(await within(vscode.authentication.getAccounts(PROVIDER_ID), 'getAccounts'), []);
  });
});
