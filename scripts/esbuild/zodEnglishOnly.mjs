// Zod's English messages only. The SDK imports zod as a namespace object, so esbuild cannot drop
// the 60-odd locales zod re-exports (`locales`), about 260 KB of every bundle that nobody uses.
export { default as en } from 'zod/v4/locales/en.js';
