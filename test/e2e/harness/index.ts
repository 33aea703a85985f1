// The e2e harness: a real VS Code (code-server) driven through headless Chromium.
export { startCodeServer, defaultSettings, freePort, type CodeServerOptions, type RunningCodeServer } from './codeServer';
export { openWorkbench, type OpenWorkbench, type OpenWorkbenchOptions } from './workbench';
export { runCommand, focusView, readQuickPick, waitForQuickPickRow, pickQuickPickItem, closeQuickInput, quickPickRow } from './palette';
export {
  waitForStatusBarText,
  statusBarTexts,
  handleDialog,
  currentDialogMessage,
  treeItem,
  clickTreeItem,
  contextMenu,
  waitForNotification,
  waitForNewPage,
  screenshot,
  screenshotOf,
  notificationTexts,
  type DialogOptions,
  type NewPageOptions,
} from './workbenchUi';
export {
  Probe,
  type ToolDump,
  type DumpedTool,
  type InvokeResult,
  type StartResult,
  type ExecuteResult,
  type InvokeOptions,
  type InvokeOutcome,
} from './probe';
export { packageVsix, probeExtensionDir, projectVsix } from './vsix';
export { ensureE2eTools, e2eToolPaths, repoRoot } from './tools';
export { artifactsDir } from './artifacts';
export { makeWorkspace } from './workspace';
export { waitUntil, waitForText, type WaitUntilOptions } from './wait';
