// Throwaway workspace folders for code-server to open.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onExit, removeDir } from './cleanup';

/** A temp folder with the given files (relative path → content), removed when the process exits. */
export function makeWorkspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lenses-e2e-ws-'));
  onExit(() => removeDir(dir));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}
