// Bundles the extension and the standalone `lenses-mcp` bin (CommonJS, node, `vscode` external).
import * as esbuild from 'esbuild';
import { CONTRACT_CHUNK } from './scripts/esbuild/contractChunkPlugin.mjs';
import { commonOptions, extensionOptions } from './scripts/esbuild/options.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  ...commonOptions,
  minify: production,
  sourcemap: production ? 'linked' : 'inline',
  logLevel: 'info',
};

const builds = [
  // The contract and zod are dist/lensesContract.js, required on first use (scripts/esbuild/contractChunkPlugin.mjs).
  { ...common, plugins: extensionOptions.plugins, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/lenses/contract/index.ts'], outfile: `dist/${CONTRACT_CHUNK}` },
  // The embedded MCP server, its SDK and the tools: the extension requires it on first use (src/vscode/mcp/mcpServerLoader.ts).
  { ...common, entryPoints: ['src/vscode/mcp/mcpServerChunk.ts'], outfile: 'dist/mcpServerChunk.js' },
  {
    ...common,
    entryPoints: ['src/mcp/standalone/bin.ts'],
    outfile: 'dist/lenses-mcp.js',
    banner: { js: '#!/usr/bin/env node' },
    // The npm package holds this one file: no map beside it to point at.
    ...(production ? { sourcemap: false } : {}),
  },
  // OpenTelemetry on its own: the bin requires it at run time only when OTEL_ENABLED is on.
  { ...common, entryPoints: ['src/telemetry/otel.ts'], outfile: 'dist/lenses-mcp-otel.js', ...(production ? { sourcemap: false } : {}) },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
