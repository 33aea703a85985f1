import type * as Contract from './index';

/**
 * The contract, required on first use. Its zod schemas (and zod itself) then load with the first
 * HQ answer read through it, not with the editor's activation or a stdio server's start, which
 * read none.
 */
export function lazyContract(): typeof Contract {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled, but evaluated only when first called
  return require('./index') as typeof Contract;
}
