// Puts the tools/list entries of the Lenses tools into src/mcp/builtToolCatalog.ts at bundle
// time, so a started server lists its tools without building 45 zod schemas and their JSON
// Schemas first (issue 25). They are computed from the tool definitions themselves, by
// bundling and running src/mcp/toolCatalog.ts's catalogOf(LENSES_TOOLS) here: the bundle can
// never list a schema other than the one its tools validate with.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const CATALOG_FILE = /[\\/]src[\\/]mcp[\\/]builtToolCatalog\.ts$/;
const PLUGIN_NAME = 'lenses-tool-catalog';
/** The name the catalog's own bundle gives its (in-memory) entry. */
const SOURCE_FILE = 'tool-catalog-at-build-time.ts';

/** The catalog of the last computation and the modification times of the files it came from. */
let last;

function unchangedSince(computed) {
  return computed.inputs.every(([file, mtimeMs]) => {
    try {
      return statSync(file).mtimeMs === mtimeMs;
    } catch {
      return false;
    }
  });
}

/** Bundles catalogOf(LENSES_TOOLS) with `options` (never with this plugin: the catalog is computed from source) and runs it. */
async function computeCatalog(options, root) {
  const mcpDir = path.join(root, 'src', 'mcp');
  const result = await esbuild.build({
    ...options,
    plugins: (options.plugins ?? []).filter((plugin) => plugin.name !== PLUGIN_NAME),
    stdin: {
      contents: "import { catalogOf } from './toolCatalog';\nimport { LENSES_TOOLS } from './tools';\nmodule.exports = catalogOf(LENSES_TOOLS);\n",
      resolveDir: mcpDir,
      sourcefile: SOURCE_FILE,
      loader: 'ts',
    },
    entryPoints: undefined,
    outfile: undefined,
    outdir: undefined,
    banner: undefined,
    minify: false,
    sourcemap: false,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const filename = path.join(mcpDir, SOURCE_FILE.replace(/\.ts$/, '.js'));
  const module = { exports: {} };
  new Function('module', 'exports', 'require', '__filename', '__dirname', result.outputFiles[0].text)(
    module,
    module.exports,
    createRequire(filename),
    filename,
    mcpDir,
  );
  const inputs = Object.keys(result.metafile.inputs)
    .map((input) => path.resolve(root, input))
    .filter((file) => file !== path.join(mcpDir, SOURCE_FILE))
    .map((file) => [file, statSync(file).mtimeMs]);
  return { catalog: module.exports, inputs };
}

/** @returns {import('esbuild').Plugin} */
export function toolCatalogPlugin(options, root) {
  // `options`: the bundles' shared options, with which the catalog's own bundle is built.
  return {
    name: PLUGIN_NAME,
    setup(build) {
      build.onLoad({ filter: CATALOG_FILE }, async () => {
        // The builds of one esbuild.mjs run share one computation; a change to any tool source computes anew.
        if (!last || !(await last.then(unchangedSince, () => false))) last = computeCatalog(options, root);
        const { catalog, inputs } = await last;
        if (!Array.isArray(catalog) || catalog.length === 0) throw new Error('the tool catalog computed at build time is empty');
        // JSON.parse of one string is quicker for V8 to load than an object literal this size.
        return {
          contents: `export const BUILT_TOOL_CATALOG = JSON.parse(${JSON.stringify(JSON.stringify(catalog))});\n`,
          loader: 'ts',
          watchFiles: inputs.map(([file]) => file),
        };
      });
    },
  };
}
