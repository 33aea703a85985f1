// The esbuild options every bundle shares (esbuild.mjs, and the bench that bundles a yardstick alike).
import { fileURLToPath } from 'node:url';

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
export const commonOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
  // The SDK's default JSON Schema validator (Ajv) is most of its size: see src/mcp/sdkShims.ts.
  alias: { '@modelcontextprotocol/server/_shims': `${root}src/mcp/sdkShims.ts` },
  plugins: [zodEnglishOnly],
  nodePaths: [`${root}node_modules`],
};
