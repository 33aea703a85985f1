// Driver side of the probe extension: run its command from the palette, read its result file.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningCodeServer } from './codeServer';
import { runCommand } from './palette';
import { currentDialogMessage, handleDialog } from './workbenchUi';

/** A language-model tool as the extension host sees it in `vscode.lm.tools`. */
export interface DumpedTool {
  name: string;
  description: string;
  inputSchema?: object;
  tags: readonly string[];
}

/** tools.json: the tools whose names match the probe's filter (default /lenses/i). */
export interface ToolDump {
  names: string[];
  tools: DumpedTool[];
  /** How many tools vscode.lm.tools lists in all. */
  total: number;
}

/** invoke-result.json */
export type InvokeResult =
  { ok: true; name: string; text: string; parts: { kind: 'text' | 'other'; value: string }[]; ms: number } | { ok: false; error: string; ms: number };

/** What to do with VS Code's "Run <tool>?" confirmation while a tool is invoked. */
export interface InvokeOptions {
  /** 'accept' presses Yes (default), 'cancel' presses Cancel, 'leave' lets it be. */
  confirmation?: 'accept' | 'cancel' | 'leave';
  timeoutMs?: number;
}

/** An invoke result plus the confirmation dialog's text, if VS Code asked. */
export type InvokeOutcome = InvokeResult & { confirmation?: string };

/** start-result.json */
export interface StartResult {
  ok: boolean;
  attempts: number;
  names: string[];
  error?: string;
  ms: number;
}

/** execute-result.json */
export type ExecuteResult = { ok: true; value: unknown } | { ok: false; error: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The probe extension of one code-server, driven through one page. */
export class Probe {
  constructor(
    private readonly page: Page,
    private readonly server: Pick<RunningCodeServer, 'probeDir'>,
  ) {}

  /** Waits for the probe to activate (the extension host is up). */
  async waitForActivation(timeoutMs = 60_000): Promise<void> {
    await this.waitForFile('activated.json', timeoutMs);
  }

  /** Lenses E2E: Dump Tools */
  async dumpTools(timeoutMs = 15_000): Promise<ToolDump> {
    return this.run('Lenses E2E: Dump Tools', 'tools.json', undefined, timeoutMs);
  }

  /** Lenses E2E: Start MCP Servers — resolves when matching tools are live (or the probe gives up). */
  async startMcpServers(timeoutMs = 60_000): Promise<StartResult> {
    return this.run('Lenses E2E: Start MCP Servers', 'start-result.json', { file: 'start-request.json', value: { timeoutMs } }, timeoutMs + 10_000);
  }

  /**
   * Lenses E2E: Invoke Tool — `vscode.lm.invokeTool(name, {input})`, as agent mode calls it.
   * VS Code asks "Run <tool>?" in a modal dialog before tools not marked read-only;
   * `confirmation` says what to press (default 'accept'), and the result carries the
   * dialog's text, so a test can tell whether it was asked.
   */
  async invokeTool(name: string, input: object = {}, options: InvokeOptions = {}): Promise<InvokeOutcome> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const button = { accept: 'Yes', cancel: 'Cancel', leave: undefined }[options.confirmation ?? 'accept'];
    this.prepare('invoke-result.json', { file: 'invoke-request.json', value: { name, input } });
    await runCommand(this.page, 'Lenses E2E: Invoke Tool');
    let confirmation: string | undefined;
    const result = await this.waitForFile<InvokeResult>('invoke-result.json', timeoutMs, async () => {
      const message = await currentDialogMessage(this.page);
      if (message === undefined || !/^Run /.test(message) || !button) return;
      confirmation = await handleDialog(this.page, button).catch(() => confirmation);
    });
    return { ...result, confirmation };
  }

  /** Lenses E2E: Execute Command — any command with JSON arguments, its JSON result. */
  async executeCommand(command: string, args: unknown[] = [], timeoutMs = 30_000): Promise<ExecuteResult> {
    return this.run('Lenses E2E: Execute Command', 'execute-result.json', { file: 'execute-request.json', value: { command, args } }, timeoutMs);
  }

  /** Lenses E2E: Update Settings — user settings through the configuration API, as the Settings editor writes them. */
  async updateSettings(values: Record<string, unknown>, timeoutMs = 15_000): Promise<ExecuteResult> {
    return this.run('Lenses E2E: Update Settings', 'settings-result.json', { file: 'settings-request.json', value: { values } }, timeoutMs);
  }

  /**
   * Starts a probe command without waiting for its result: for commands that block
   * on UI (a sign-in dialog) the test must click through first. Await the returned
   * function for the result.
   */
  async begin<T>(action: 'invokeTool' | 'startMcpServers', request: object, timeoutMs = 60_000): Promise<() => Promise<T>> {
    const spec = {
      invokeTool: { title: 'Lenses E2E: Invoke Tool', result: 'invoke-result.json', file: 'invoke-request.json' },
      startMcpServers: { title: 'Lenses E2E: Start MCP Servers', result: 'start-result.json', file: 'start-request.json' },
    }[action];
    this.prepare(spec.result, { file: spec.file, value: request });
    await runCommand(this.page, spec.title);
    return () => this.waitForFile<T>(spec.result, timeoutMs);
  }

  private async run<T>(title: string, result: string, request: { file: string; value: object } | undefined, timeoutMs: number): Promise<T> {
    this.prepare(result, request);
    await runCommand(this.page, title);
    return this.waitForFile<T>(result, timeoutMs);
  }

  private prepare(result: string, request?: { file: string; value: object }): void {
    rmSync(path.join(this.server.probeDir, result), { force: true });
    if (request) writeFileSync(path.join(this.server.probeDir, request.file), JSON.stringify(request.value));
  }

  private async waitForFile<T>(name: string, timeoutMs: number, whileWaiting?: () => Promise<void>): Promise<T> {
    const file = path.join(this.server.probeDir, name);
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`the probe wrote no ${name} within ${timeoutMs} ms`);
      await whileWaiting?.();
      await sleep(150);
    }
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  }
}
