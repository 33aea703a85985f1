// Test-only probe: exposes vscode.lm tools to the e2e driver through files (see README.md).
'use strict';
const vscode = require('vscode');
const fs = require('node:fs');
const path = require('node:path');

function probeDir() {
  const configured = vscode.workspace.getConfiguration('lensesE2E').get('probeDir');
  const dir = configured || process.env.LENSES_E2E_PROBE_DIR;
  if (!dir) throw new Error('No probe folder: set $LENSES_E2E_PROBE_DIR or lensesE2E.probeDir');
  return dir;
}

function toolFilter() {
  const configured = vscode.workspace.getConfiguration('lensesE2E').get('toolFilter');
  return new RegExp(process.env.LENSES_E2E_TOOL_FILTER || configured || 'lenses', 'i');
}

function readRequest(name) {
  const file = path.join(probeDir(), name);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

// Whole-file writes, so the driver never reads half a result.
function writeResult(name, value) {
  const file = path.join(probeDir(), name);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(value, null, 2));
  fs.renameSync(temp, file);
}

function errorText(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function matchingTools() {
  const filter = toolFilter();
  return vscode.lm.tools.filter((tool) => filter.test(tool.name));
}

function describeTool(tool) {
  return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema, tags: tool.tags };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Writes the matching tools' names and descriptions to tools.json. */
async function dumpTools() {
  const tools = matchingTools().map(describeTool);
  writeResult('tools.json', { names: tools.map((t) => t.name), tools, total: vscode.lm.tools.length });
}

/** Calls one tool as agent mode would and writes its text to invoke-result.json. */
async function invokeTool() {
  const started = Date.now();
  try {
    const { name, input } = readRequest('invoke-request.json');
    const source = new vscode.CancellationTokenSource();
    const result = await vscode.lm.invokeTool(name, { input: input || {}, toolInvocationToken: undefined }, source.token);
    const parts = result.content.map((part) =>
      part instanceof vscode.LanguageModelTextPart ? { kind: 'text', value: part.value } : { kind: 'other', value: JSON.stringify(part) },
    );
    const text = parts
      .filter((p) => p.kind === 'text')
      .map((p) => p.value)
      .join('\n');
    writeResult('invoke-result.json', { ok: true, name, text, parts, ms: Date.now() - started });
  } catch (error) {
    writeResult('invoke-result.json', { ok: false, error: errorText(error), ms: Date.now() - started });
  }
}

/**
 * Starts every MCP server and waits for matching tools. Right after activation the
 * start command may do nothing, so it is retried until tools appear or time runs out.
 */
async function startMcpServers() {
  const started = Date.now();
  const { timeoutMs = 60000 } = readRequest('start-request.json');
  let attempts = 0;
  let lastError;
  while (Date.now() - started < timeoutMs) {
    attempts++;
    try {
      await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
      lastError = undefined;
    } catch (error) {
      lastError = errorText(error);
    }
    // vscode.lm.onDidChangeTools is missing at run time: poll a little before retrying.
    for (let i = 0; i < 10 && matchingTools().length === 0; i++) await sleep(200);
    if (matchingTools().length > 0) break;
  }
  const names = matchingTools().map((t) => t.name);
  writeResult('start-result.json', { ok: names.length > 0, attempts, names, error: lastError, ms: Date.now() - started });
}

/** Runs any command with arguments from execute-request.json (e.g. an extension's own). */
async function executeCommand() {
  try {
    const { command, args = [] } = readRequest('execute-request.json');
    const value = await vscode.commands.executeCommand(command, ...args);
    writeResult('execute-result.json', { ok: true, value: value === undefined ? null : value });
  } catch (error) {
    writeResult('execute-result.json', { ok: false, error: errorText(error) });
  }
}

/** Writes user settings from settings-request.json through the configuration API (as the Settings editor does). */
async function updateSettings() {
  try {
    const { values = {} } = readRequest('settings-request.json');
    const config = vscode.workspace.getConfiguration();
    for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
    writeResult('settings-result.json', { ok: true, value: null });
  } catch (error) {
    writeResult('settings-result.json', { ok: false, error: errorText(error) });
  }
}

function activate(context) {
  const commands = { dumpTools, invokeTool, startMcpServers, executeCommand, updateSettings };
  for (const [id, run] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(`lensesE2E.${id}`, run));
  }
  try {
    writeResult('activated.json', { pid: process.pid, vscode: vscode.version, at: new Date().toISOString() });
  } catch {
    // no probe folder configured: commands will say so when run
  }
}

module.exports = { activate, deactivate() {} };
