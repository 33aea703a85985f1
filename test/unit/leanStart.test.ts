import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { commonOptions, extensionOptions } from '../../scripts/esbuild/options.mjs';
import * as contract from '../../src/lenses/contract';
import { catalogOf } from '../../src/mcp/toolCatalog';
import { LENSES_TOOLS } from '../../src/mcp/tools';
import type * as ServerChunk from '../../src/vscode/mcp/mcpServerChunk';

const ROOT = path.resolve(__dirname, '../..');

/** Each module a bundle evaluates when loaded (static imports from the entry), with the chain that reaches it. */
async function evaluatedAtStart(entry: string, options: esbuild.BuildOptions = commonOptions): Promise<Map<string, string[]>> {
  const result = await esbuild.build({
    ...options,
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: path.join(ROOT, 'dist', 'lean-start-check.js'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const imported of result.metafile.inputs[file]?.imports ?? []) {
      // A `require()` inside a function is evaluated when called, not at start.
      if (imported.kind !== 'import-statement' || chains.has(imported.path)) continue;
      chains.set(imported.path, [...(chains.get(file) ?? []), imported.path]);
      if (!imported.external) queue.push(imported.path);
    }
  }
  return chains;
}

/** `entry` bundled as esbuild.mjs bundles a chunk (commonOptions, minified) into `outfile`, then required as the extension requires it. */
async function bundleAndRequire<Module>(entry: string, outfile: string): Promise<Module> {
  await esbuild.build({ ...commonOptions, absWorkingDir: ROOT, entryPoints: [entry], outfile, minify: true, logLevel: 'silent' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built chunk, loaded as the extension loads it
  return require(outfile) as Module;
}

/** The chain that evaluates `module` (a source file, a package name or a built-in), or undefined when none does. */
function chainTo(evaluated: Map<string, string[]>, module: string): string | undefined {
  const found = [...evaluated.keys()].find((key) => key === module || key.includes(`node_modules/${module}/`));
  return found ? (evaluated.get(found) ?? []).join(' → ') : undefined;
}

/** One test per module that loading the bundle must not evaluate, each with why it is left for later. */
function itEvaluatesNoneOf(evaluated: () => Map<string, string[]>, when: string, later: ReadonlyArray<readonly [module: string, why: string]>): void {
  for (const [module, why] of later) {
    it(`does not evaluate ${module}: ${why}`, () => {
      const chain = chainTo(evaluated(), module);
      assert.equal(chain, undefined, `${module} is evaluated ${when} through ${chain}`);
    });
  }
}

describe('lenses-mcp starts lean: what a stdio start evaluates before its first tools/list', function () {
  this.timeout(60_000);
  let atStart: Map<string, string[]>;
  before(async () => {
    atStart = await evaluatedAtStart('src/mcp/standalone/bin.ts');
  });

  it('evaluates the server, the catalog of tools and the SDK', () => {
    for (const needed of ['src/mcp/server.ts', 'src/mcp/toolCatalog.ts', 'src/mcp/builtToolCatalog.ts']) assert.ok(atStart.has(needed), needed);
  });

  itEvaluatesNoneOf(() => atStart, 'at start', [
    ['src/mcp/tools/index.ts', 'the tools and their zod schemas load on the first call (or the warm-up)'],
    ['src/mcp/tools/types.ts', 'defineTool builds zod schemas'],
    ['src/lenses/contract/index.ts', "the contract's schemas load with the first answer read through it"],
    ['src/mcp/http/httpServer.ts', 'the HTTP stack loads only for TRANSPORT=http or sse'],
    ['src/telemetry/otel.ts', 'OpenTelemetry is a chunk of its own, loaded with OTEL_ENABLED'],
    ['ws', "SQL's WebSocket client loads with the first SQL call"],
    ['node:crypto', 'hashing loads with the first token, confirmation or cached list'],
  ]);
});

describe('the extension activates lean: what loading dist/extension.js evaluates', function () {
  this.timeout(60_000);
  let atLoad: Map<string, string[]>;
  before(async () => {
    atLoad = await evaluatedAtStart('src/extension.ts', extensionOptions);
  });

  itEvaluatesNoneOf(() => atLoad, 'at activation', [
    ['zod', 'zod is dist/lensesContract.js, loaded with the first HQ answer read through the contract (Connected Applications, an HQ error)'],
    ['src/lenses/contract/index.ts', "the contract's schemas load with the first answer read through it"],
    ['@modelcontextprotocol/server', 'the MCP server and its SDK are dist/mcpServerChunk.js, loaded on first use'],
    ['src/mcp/tools/index.ts', 'the tools are in the server chunk'],
    ['src/mcp/governance/index.ts', 'tool filters are checked against the plain names in governance/toolAreas.ts'],
  ]);
});

describe("the extension's MCP server chunk, bundled as esbuild.mjs bundles it", function () {
  this.timeout(60_000);

  it('loads in Node and lists the 45 tools from the catalog built into it (esbuild#2326 would break its load)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lenses-chunk-'));
    try {
      const chunk = await bundleAndRequire<typeof ServerChunk>('src/vscode/mcp/mcpServerChunk.ts', path.join(dir, 'mcpServerChunk.js'));
      assert.deepEqual(
        chunk.lensesToolCatalog().map((tool) => tool.name),
        catalogOf(LENSES_TOOLS).map((tool) => tool.name),
      );
      assert.equal(typeof chunk.startMcpHttpServer, 'function');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the extension's contract chunk (dist/lensesContract.js)", function () {
  this.timeout(60_000);

  it('is what the extension requires in place of the contract, and offers every name the contract does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lenses-contract-'));
    try {
      const extension = await esbuild.build({
        ...extensionOptions,
        absWorkingDir: ROOT,
        entryPoints: ['src/extension.ts'],
        outfile: path.join(dir, 'extension.js'),
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(extension.metafile.inputs);
      assert.deepEqual(
        inputs.filter((input) => input.includes('node_modules/zod/') || input.includes('src/lenses/contract/index.ts')),
        [],
      );
      const required = extension.metafile.outputs[path.relative(ROOT, path.join(dir, 'extension.js'))]?.imports.filter((imported) =>
        imported.path.includes('lensesContract'),
      );
      assert.deepEqual(
        required?.map((imported) => imported.path),
        ['./lensesContract.js'],
      );

      const chunk = await bundleAndRequire<typeof contract>('src/lenses/contract/index.ts', path.join(dir, 'lensesContract.js'));
      assert.deepEqual(Object.keys(chunk).sort(), Object.keys(contract).sort());
      assert.equal(chunk.readAnswer(chunk.CONNECTED_APPS, { items: [{ authorization_id: 'a1' }] }).known, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
