// The in-host suite (test/inhost: activation, provider registration, getSession, the MCP
// definition) run by mocha inside the extension host of a real VS Code (code-server), with
// lenses.url = the emulator; each in-host test becomes one test here. Desktop VS Code runs
// the same files through @vscode/test-cli (.vscode-test.mjs, `npm run test:inhost`).
import * as assert from 'node:assert/strict';
import Mocha from 'mocha';
import { startHq, type RunningHq } from '../hq/testing';
import { completeInBrowser } from './fixtures/lensesUi';
import { runInHostSuite, type InHostRun } from './harness/inHost';

describe('in-host suite (mocha in the extension host of code-server)', function () {
  this.timeout(240_000);
  let hq: RunningHq | undefined;
  let outcome: InHostRun;

  before(async function () {
    hq = await startHq({ port: 0 });
    outcome = await runInHostSuite({
      settings: { 'lenses.url': hq.url },
      // signedIn.test.ts runs only when someone completes the emulator's login in the browser: here.
      env: { LENSES_INHOST_BROWSER_SIGN_IN: '1' },
      onPage: async (page, workbench) => {
        await completeInBrowser(workbench, page, undefined, { username: 'admin', password: 'admin', scopes: ['read'], shots: 'inhost-signin' });
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
