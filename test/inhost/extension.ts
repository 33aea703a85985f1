// What the in-host tests share: the extension under test, activated, and its exported API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LensesExtensionApi } from '../../src/extension';
import { within as withinTime } from '../support/waiting';

/** The extension's id (publisher.name of package.json). */
export const EXTENSION_ID = 'lenses-community.lenses-mcp';

/** The extension under test, activated (it activates on startup; this waits for that or starts it). */
export async function activatedExtension(): Promise<vscode.Extension<LensesExtensionApi>> {
  const extension = vscode.extensions.getExtension<LensesExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  await extension.activate();
  return extension;
}

/** The API activate() returned. */
export async function extensionApi(): Promise<LensesExtensionApi> {
  return (await activatedExtension()).exports;
}

/** Rejects after `timeoutMs` (default 10 s) saying what did not finish, so a hung VS Code call fails its test instead of the run. */
export function within<T>(work: Thenable<T>, what: string, timeoutMs = 10_000): Promise<T> {
  return withinTime(work, what, timeoutMs);
}
