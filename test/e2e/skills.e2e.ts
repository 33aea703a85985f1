// Issue 27: the Kafka skills the extension contributes (`contributes.chatSkills`) in a real
// VS Code (code-server): "Chat: Configure Skills..." lists each of them.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import {
  closeQuickInput,
  makeWorkspace,
  openWorkbench,
  projectVsix,
  readQuickPick,
  repoRoot,
  runCommand,
  screenshot,
  startCodeServer,
  waitForQuickPickRow,
  type OpenWorkbench,
  type RunningCodeServer,
} from './harness';
import { publishScreenshot } from './fixtures/lensesUi';

const SKILLS = readdirSync(path.join(repoRoot, 'skills'));

describe('Kafka skills in VS Code (chatSkills)', function () {
  let server: RunningCodeServer;
  let workbench: OpenWorkbench;

  before(async function () {
    server = await startCodeServer({ workspace: makeWorkspace(), extensionVsixes: [projectVsix()], probe: false });
    workbench = await openWorkbench(server);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) await screenshot(workbench.page, `skills-${this.currentTest.title}`);
  });

  after(async function () {
    await workbench?.close();
    await server?.close();
  });

  it('"Chat: Configure Skills..." lists every skill the extension contributes', async function () {
    await runCommand(workbench.page, 'Chat: Configure Skills...', 60_000);
    await waitForQuickPickRow(workbench.page, new RegExp(SKILLS[0]), 30_000);
    const rows = await readQuickPick(workbench.page);
    for (const skill of SKILLS)
      assert.ok(
        rows.some((row) => row.includes(skill)),
        `${skill} is not listed: ${JSON.stringify(rows)}`,
      );
    publishScreenshot(await screenshot(workbench.page, 'skills-configure-skills'), 'configure-skills');
    await closeQuickInput(workbench.page);
  });
});
