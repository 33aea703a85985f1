// Runs the in-host suite (test/inhost, mocha inside the extension host against the real
// `vscode` API) in code-server: code-server has no --extensionTestsPath, so the workbench is
// opened with the smoke-test driver's `payload` (extensionDevelopmentPath + extensionTestsPath)
// and reports the end through window.codeAutomationExit (VSCODE-E2E.md).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { InHostReport } from '../../inhost/index';
import { onExit, removeDir } from './cleanup';
import { startCodeServer } from './codeServer';
import { repoRoot } from './tools';
import { openWorkbench } from './workbench';
import { makeWorkspace } from './workspace';

const run = promisify(execFile);

/** What runInHostSuite needs. */
export interface InHostOptions {
  /** User settings (e.g. lenses.url = the emulator). */
  settings?: Record<string, unknown>;
  /** Extra environment of the extension host (the tests read it through process.env). */
  env?: Record<string, string>;
  /** Called with every page the extension opens (openExternal), e.g. to log in at the emulator. */
  onPage?: (page: Page, workbench: Page) => Promise<void>;
  /** Milliseconds for the whole suite, from page load to codeAutomationExit (default 150 s). */
  timeoutMs?: number;
  /** VSIXes installed beside the extension under test (e.g. a test-only extension). */
  extensionVsixes?: string[];
  /** Extra code-server flags (e.g. --enable-proposed-api for such an extension). */
  args?: string[];
}

/** The suite's outcome: the report the test index wrote and the exit code the workbench gave. */
export interface InHostRun {
  exitCode: number;
  report: InHostReport;
  /** Errors of onPage handlers (a browser step that failed explains a hung sign-in). */
  pageErrors: string[];
}

/** Bundles test/inhost into out/inhost (esbuild, a second or two). */
export async function buildInHostSuite(): Promise<void> {
  await run(process.execPath, [path.join(repoRoot, 'test/inhost/build.mjs')], { cwd: repoRoot });
}

type ExitHook = { __lensesInHostExit(code: number): void; codeAutomationExit?: (code: number) => void };

/** Starts code-server with the repository as the extension under development, runs the suite, stops everything. */
export async function runInHostSuite(options: InHostOptions = {}): Promise<InHostRun> {
  if (!existsSync(path.join(repoRoot, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` (or `npm run package`) first');
  await buildInHostSuite();
  const reportDir = mkdtempSync(path.join(os.tmpdir(), 'lenses-inhost-'));
  const unregister = onExit(() => removeDir(reportDir));
  const reportFile = path.join(reportDir, 'report.json');
  const workspace = makeWorkspace({ 'README.md': '# Lenses in-host test workspace\n' });
  const server = await startCodeServer({
    workspace,
    probe: false,
    settings: options.settings,
    extensionVsixes: options.extensionVsixes,
    args: ['--vscode-option', 'enable-smoke-test-driver', ...(options.args ?? [])],
    env: { LENSES_INHOST_REPORT: reportFile, ...options.env },
  });
  const pageErrors: string[] = [];
  let workbench: Awaited<ReturnType<typeof openWorkbench>> | undefined;
  try {
    // The authority must be the page's own host:port.
    const remote = (file: string) => `vscode-remote://127.0.0.1:${server.port}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(path.join(repoRoot, 'out/inhost/index.js'))],
    ];
    const url = `${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    workbench = await openWorkbench(server, {
      url,
      beforeNavigate: async (page) => {
        await page.exposeFunction('__lensesInHostExit', (code: number) => exited(code));
        await page.addInitScript(() => {
          const hook = window as unknown as ExitHook;
          hook.codeAutomationExit = (code: number) => hook.__lensesInHostExit(code);
        });
        const onPage = options.onPage;
        if (onPage) page.context().on('page', (opened) => void onPage(opened, page).catch((error: unknown) => pageErrors.push(String(error))));
      },
    });
    const timeoutMs = options.timeoutMs ?? 150_000;
    let timer: NodeJS.Timeout | undefined;
    const exitCode = await Promise.race([
      exit,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the in-host suite did not end within ${timeoutMs} ms${pageErrors.length ? `; browser: ${pageErrors.join('; ')}` : ''}`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (!existsSync(reportFile))
      throw new Error(`the in-host suite ended (exit ${exitCode}) without writing its report; code-server said:\n${server.output().slice(-3000)}`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as InHostReport;
    return { exitCode, report, pageErrors };
  } finally {
    await workbench?.close();
    await server.close();
    removeDir(reportDir);
    unregister();
  }
}
