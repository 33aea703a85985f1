// Where e2e screenshots and logs go: .artifacts/e2e/ (gitignored).
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './tools';

/** .artifacts/e2e[/sub], created on demand. */
export function artifactsDir(sub?: string): string {
  const dir = sub ? path.join(repoRoot, '.artifacts/e2e', sub) : path.join(repoRoot, '.artifacts/e2e');
  mkdirSync(dir, { recursive: true });
  return dir;
}
