import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { e2eToolPaths } from '../e2e/harness/tools';

/** The installed @modelcontextprotocol/conformance package (its requirements/ and its CLI). */
export const CONFORMANCE_PACKAGE = join(resolve(__dirname, '../..'), 'node_modules/@modelcontextprotocol/conformance');
const CLI = join(CONFORMANCE_PACKAGE, 'dist/index.js');

/**
 * A Node the conformance CLI runs on (it needs 22+; the project supports 20): this one when new
 * enough, else the Node 24 that scripts/ensure-node24.sh keeps in $LENSES_E2E_CACHE.
 */
function conformanceNode(): string | undefined {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const cached = e2eToolPaths().node24;
  return existsSync(cached) ? cached : undefined;
}

/** The conformance Node, or the suite skipped with how to get one (call it in a `before` hook). */
export function conformanceNodeOrSkip(suite: Mocha.Context): string {
  const found = conformanceNode();
  if (!found) {
    // `npm test` installs Node 24 first (scripts/test.sh), so this only skips in a bare `npm run test:unit`.
    console.log(
      `    skipped: the conformance CLI needs Node >= 22; run \`bash scripts/ensure-node24.sh\` (installs it into ~/.cache/lenses-mcp), then \`npm run test:unit\` again`,
    );
    suite.skip();
  }
  return found;
}

/** Runs the conformance CLI with `args` in `cwd` (it writes results/ there); resolves with its exit code and what it printed, colours removed. */
export function runConformanceCli(node: string, args: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(node, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.once('exit', (code) => resolveRun({ code, output: stripVTControlCharacters(text) }));
  });
}
