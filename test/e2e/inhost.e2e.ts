// The in-host suite (test/inhost: activation, provider registration, getSession, the MCP
// definition) run by mocha inside the extension host of a real VS Code (code-server), with
// lenses.url = the emulator and the Copilot harness switched on (chat.defaultToCopilotHarness);
// each in-host test becomes one test here. Beside the extension runs a test-only one that may
// read the MCP definitions VS Code holds as provided (the proposed lm.mcpServerDefinitions):
// what the Copilot harness forwards. Desktop VS Code runs the same files through
// @vscode/test-cli (.vscode-test.mjs, `npm run test:inhost`).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import Mocha from 'mocha';
import { startHq, type RunningHq } from '../../hq-emulator/testing';
import { completeInBrowser } from './fixtures/lensesUi';
import { packageVsix, repoRoot } from './harness';
import { runInHostSuite, type InHostRun } from './harness/inHost';

/** The test-only extension that reads VS Code's provided MCP definitions (test/inhost/definitions-probe). */
const DEFINITIONS_PROBE_ID = 'lenses-community.lenses-mcp-definitions-probe';

describe('in-host suite (mocha in the extension host of code-server)', function () {
  this.timeout(240_000);
  let hq: RunningHq | undefined;
  let outcome: InHostRun;

  before(async function () {
    hq = await startHq({ port: 0 });
    outcome = await runInHostSuite({
      settings: { 'lenses.url': hq.url, 'chat.defaultToCopilotHarness': true },
      // signedIn.test.ts runs only when someone completes the emulator's login in the browser: here.
      env: { LENSES_INHOST_BROWSER_SIGN_IN: '1', LENSES_INHOST_DEFINITIONS_PROBE: '1' },
      extensionVsixes: [await packageVsix(path.join(repoRoot, 'test/inhost/definitions-probe'))],
      args: ['--enable-proposed-api', DEFINITIONS_PROBE_ID],
      timeoutMs: 200_000,
      // Every scope the sign-in asked for is granted (the first asks read, the scope change read and write).
      onPage: async (page, workbench) => {
        await completeInBrowser(workbench, page, undefined, {
          username: 'admin',
          password: 'admin',
          scopes: ['read', 'write', 'delete'],
          shots: 'inhost-signin',
        });
      },
    });
    const suite = this.test?.parent;
    assert.ok(suite);
    for (const result of outcome.report.tests) {
      const test = new Mocha.Test(result.title, function (this: Mocha.Context) {
        if (result.state === 'pending') this.skip();
        if (result.state === 'failed') assert.fail(result.error ?? 'failed');
      });
      suite.addTest(test);
    }
  });

  after(async () => {
    await hq?.close();
  });

  it('ran the suite to its end: the workbench exit code agrees with the report, and no browser step failed', () => {
    const { exitCode, report, pageErrors } = outcome;
    assert.ok(report.tests.length >= 8, `${report.tests.length} in-host tests reported`);
    assert.equal(exitCode, report.failed > 0 ? 1 : 0);
    assert.deepEqual(pageErrors, []);
  });
});
