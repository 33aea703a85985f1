// Bundles the in-host suite (test/inhost/*.ts) into out/inhost/*.js for VS Code's extension
// host: one file per test plus index.js (the entry code-server's smoke-test driver loads).
// `vscode` and `mocha` stay external: the host provides the first, node_modules the second.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const here = import.meta.dirname;
const entryPoints = readdirSync(here)
  .filter((name) => name.endsWith('.test.ts') || name === 'index.ts')
  .map((name) => path.join(here, name));

await esbuild.build({
  entryPoints,
  outdir: path.join(here, '../../out/inhost'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
