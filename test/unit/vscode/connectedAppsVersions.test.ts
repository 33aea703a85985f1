import assert from 'node:assert/strict';
import { LENSES_VERSIONS } from '../../../src/lenses/contract';
import { listAuthorizations, revokeAuthorization } from '../../../src/lenses/connectedApps';
import { silentLogger } from '../../../src/log';
import { ConnectedApplications, type ConnectedAppsUi } from '../../../src/vscode/connectedApps/connectedAppsModel';
import type { LensesSession } from '../../../src/vscode/account/oauthPort';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';

/**
 * The Connected Applications view's model against the emulator speaking each Lenses version:
 * names, client ID, registration method in words, scopes, this VS Code recognised by client
 * ID, and revoke with the id the version gives.
 */
for (const version of LENSES_VERSIONS) {
  describe(`Connected Applications against Lenses ${version} (emulator)`, function () {
    this.timeout(15_000);
    let hq: RunningHq;
    before(async () => (hq = await startHq({ port: 0, lensesVersion: version })));
    after(() => hq.close());

    it(`HQ-03 lists every application with name, client ID, registration method and scopes, our own first; revoke ends its tokens (Lenses ${version})`, async () => {
      const ours = await obtainTokens(hq, { username: 'alice', scopes: ['read', 'write'], clientName: 'Lenses MCP for VS Code' });
      const claude = await obtainTokens(hq, { username: 'alice', scopes: ['read'], clientName: 'Claude Desktop' });
      const session: LensesSession = {
        id: 's1',
        issuer: hq.url,
        clientId: ours.clientId,
        resource: hq.url,
        accessToken: ours.accessToken,
        expiresAt: Date.now() + 3_600_000,
        scopes: ['read', 'write'],
        account: { id: 'alice', label: 'alice' },
      };
      const ui: ConnectedAppsUi = {
        confirmRevoke: async () => true,
        withViewProgress: (task) => task(),
        showMessage: () => undefined,
        setEmpty: () => undefined,
        setError: (problem) => assert.equal(problem, undefined),
      };
      const apps = new ConnectedApplications({
        currentSession: async () => session,
        hqUrl: () => hq.url,
        list: listAuthorizations,
        revoke: revokeAuthorization,
        forgetSession: async () => undefined,
        endSession: async () => false,
        ui,
        logger: silentLogger,
      });
      const nodes = await apps.applications();
      assert.deepEqual(
        nodes.map((node) => [node.label, node.clientId, node.scopes, node.isSelf]),
        [
          ['Lenses MCP for VS Code', ours.clientId, ['read', 'write'], true],
          ['Claude Desktop', claude.clientId, ['read'], false],
        ],
      );
      assert.match(nodes[0].description, /^this VS Code · read, write$/);
      assert.match(nodes[1].tooltip, /Registration: Dynamic Client Registration/);
      assert.match(nodes[1].tooltip, new RegExp(`Client ID: \`${claude.clientId}\``));
      assert.match(nodes[1].tooltip, /Issued at: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);

      assert.equal(await apps.revoke(nodes[1]), true);
      assert.equal((await hq.introspect(claude.accessToken)).active, false, 'its tokens stop working');
      assert.equal((await hq.introspect(ours.accessToken)).active, true);
      assert.deepEqual(
        (await apps.applications()).map((node) => node.label),
        ['Lenses MCP for VS Code'],
      );
    });
  });
}
