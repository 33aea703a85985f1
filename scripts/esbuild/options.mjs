// The esbuild options every bundle shares (esbuild.mjs, and the bench that bundles a yardstick alike).
import { fileURLToPath } from 'node:url';
import { contractChunkPlugin } from './contractChunkPlugin.mjs';
import { toolCatalogPlugin } from './toolCatalogPlugin.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Resolves zod's locale index to the English-only module beside this file. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: fileURLToPath(new URL('./zodEnglishOnly.mjs', import.meta.url)) } : undefined,
    );
  },
};

/** @type {import('esbuild').BuildOptions} */
const sharedOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
  // The SDK's default JSON Schema validator (Ajv) is most of its size: see src/mcp/sdkShims.ts.
  alias: { '@modelcontextprotocol/server/_shims': `${root}src/mcp/sdkShims.ts` },
  plugins: [zodEnglishOnly],
  nodePaths: [`${root}node_modules`],
  // zod declares most of its files free of side effects; in a bundle where a lazily required module
  // imports zod too (the tools, the contract), esbuild then drops the calls that initialize zod's
  // modules before the SDK uses them ("ZodLazy is not a constructor"): evanw/esbuild#2326, whose
  // workaround this is. The bundles' sizes barely change.
  ignoreAnnotations: true,
};

/** @type {import('esbuild').BuildOptions} */
export const commonOptions = {
  ...sharedOptions,
  // The tools/list entries computed at bundle time: see src/mcp/builtToolCatalog.ts.
  plugins: [...sharedOptions.plugins, toolCatalogPlugin(sharedOptions, root)],
};

/** @type {import('esbuild').BuildOptions} */
export const extensionOptions = {
  ...commonOptions,
  // The contract and zod are dist/lensesContract.js, required on first use: see contractChunkPlugin.mjs.
  plugins: [...commonOptions.plugins, contractChunkPlugin],
};
