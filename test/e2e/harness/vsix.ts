// Packages an extension folder into a VSIX with vsce (the same tool `npm run package` uses).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { onExit, removeDir } from './cleanup';
import { repoRoot } from './tools';

const run = promisify(execFile);

/** The folder of the test-only probe extension. */
export const probeExtensionDir = path.join(repoRoot, 'test/e2e/probe-extension');

const packaged = new Map<string, Promise<string>>();

/** Packages `extensionDir` (no dependencies) into a temp VSIX, once per process; returns its path. */
export function packageVsix(extensionDir: string): Promise<string> {
  let vsix = packaged.get(extensionDir);
  if (!vsix) {
    vsix = packageNow(extensionDir);
    packaged.set(extensionDir, vsix);
  }
  return vsix;
}

async function packageNow(extensionDir: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lenses-e2e-vsix-'));
  onExit(() => removeDir(dir));
  const out = path.join(dir, `${path.basename(extensionDir)}.vsix`);
  const vsce = path.join(repoRoot, 'node_modules/.bin/vsce');
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out];
  await run(vsce, args, { cwd: extensionDir });
  return out;
}

/** The project's VSIX built by `npm run package` (<name>-<version>.vsix in the repo root). */
export function projectVsix(): string {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${path.basename(vsix)} not found: run \`npm run package\` first`);
  return vsix;
}
