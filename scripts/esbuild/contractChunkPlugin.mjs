// In the extension's bundle, the published-answer contract (src/lenses/contract) and zod with it
// are a file of their own, dist/lensesContract.js, which src/lenses/contract/lazyContract.ts
// requires the first time an HQ answer is read through the contract (the Connected Applications
// list, an HQ error). Activation then parses neither: zod alone is most of the bundle's size.
// Only schemas and plain functions come from it, so no class is shared across the two files.

/** The file the extension's bundle requires, beside it in dist/. */
export const CONTRACT_CHUNK = 'lensesContract.js';

/** @type {import('esbuild').Plugin} */
export const contractChunkPlugin = {
  name: 'lenses-contract-chunk',
  setup(build) {
    build.onResolve({ filter: /^\.\/index$/ }, (args) =>
      /[\\/]src[\\/]lenses[\\/]contract[\\/]lazyContract\.ts$/.test(args.importer) ? { path: `./${CONTRACT_CHUNK}`, external: true } : undefined,
    );
  },
};
