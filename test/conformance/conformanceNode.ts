import { existsSync } from 'node:fs';
import { e2eToolPaths } from '../e2e/harness/tools';

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
