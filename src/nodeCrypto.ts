import type * as NodeCrypto from 'node:crypto';

/**
 * `node:crypto`, loaded on first use. Loading it takes a few milliseconds that a stdio server,
 * spawned for every conversation, should not pay before its first answer: hashing and keys are
 * needed only once a token, a confirmation or a cached list is handled.
 */
export function nodeCrypto(): typeof NodeCrypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a built-in module, required when first needed
  return require('node:crypto') as typeof NodeCrypto;
}
