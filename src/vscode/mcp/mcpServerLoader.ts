import { join } from 'node:path';
import type { Logger } from '../../log';
import type { McpHttpServerOptions, RunningMcpHttpServer } from '../../mcp/http/httpServer';
import type { ToolCard } from '../../mcp/tools/toolCard';
import type * as McpServerChunk from './mcpServerChunk';

type ServerChunk = typeof McpServerChunk;

/** The module name beside this one: `dist/mcpServerChunk.js` in the VSIX, the `.ts` source under tsx. */
const CHUNK_NAME = 'mcpServerChunk';

let loaded: ServerChunk | undefined;

/**
 * The MCP server, its SDK and the tool definitions, loaded on the first call (once) instead of
 * at activation. A computed path, so the bundler leaves the
 * require to run time and the extension's bundle does not carry the server.
 */
export function loadServerChunk(): ServerChunk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time load of the chunk beside this file, on purpose
  loaded ??= require(join(__dirname, CHUNK_NAME)) as ServerChunk;
  return loaded;
}

/** How long after activation the chunk loads when nothing asked for it yet. */
const PRELOAD_AFTER_MS = 1_500;

/**
 * Loads the chunk a moment after activation, outside `activate()`, so the first tools/list
 * VS Code asks for does not wait for it (a first use before then loads it on the spot).
 */
export function preloadServerChunk(logger: Pick<Logger, 'warn'>, delayMs = PRELOAD_AFTER_MS): void {
  const timer = setTimeout(() => {
    try {
      loadServerChunk();
    } catch (error) {
      logger.warn(`Could not load the Lenses MCP server: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, delayMs);
  timer.unref();
}

/** `startMcpHttpServer` of the chunk; the first start loads it. */
export async function startMcpHttpServer(options: McpHttpServerOptions): Promise<RunningMcpHttpServer> {
  await Promise.resolve();
  return loadServerChunk().startMcpHttpServer(options);
}

/** The card of every tool the server offers (for "Show Available Tools"); loads the chunk. */
export function lensesToolCards(): readonly ToolCard[] {
  return loadServerChunk().lensesToolCatalog();
}
