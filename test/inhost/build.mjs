// Bundles the in-host suite (test/inhost/*.ts) into out/inhost/*.js for VS Code's extension
// host: one file per test plus index.js (the entry code-server's smoke-test driver loads).
// `vscode` and `mocha` stay external: the host provides the first, node_modules the second.
// The shipped bundles' options otherwise (the tool catalog, zod's English messages, and the
// setting without which a bundle that imports src/mcp fails to load: see options.mjs).
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { commonOptions } from '../../scripts/esbuild/options.mjs';

const here = import.meta.dirname;
const entryPoints = readdirSync(here)
  .filter((name) => name.endsWith('.test.ts') || name === 'index.ts')
  .map((name) => path.join(here, name));

await esbuild.build({
  ...commonOptions,
  entryPoints,
  outdir: path.join(here, '../../out/inhost'),
  external: [...commonOptions.external, 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
