import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Transport } from '@modelcontextprotocol/server';
import type { Logger } from '../log';

/** OpenTelemetry settings of the standalone server (the SDK reads the standard OTEL_EXPORTER_OTLP_* itself). */
export interface TelemetrySettings {
  /** `otlp` (OTLP/HTTP protobuf) or `console` (spans on stderr). */
  exporter: 'otlp' | 'console';
  serviceName: string;
  serviceVersion: string;
  /** The server's tool names: spans name only these (anything else is `_OTHER`, RS-26). */
  toolNames: readonly string[];
}

/**
 * What the server needs from tracing, and nothing of OpenTelemetry's types: the server
 * wraps its transports and its fetch with it, and the OpenTelemetry code lives in a chunk
 * of its own (`dist/lenses-mcp-otel.js`) loaded only when OTEL_ENABLED is on.
 */
export interface McpTelemetry {
  /** The same transport, with a span per JSON-RPC request it receives (ended by its answer). */
  traceTransport(transport: Transport): Transport;
  /**
   * Serves one HTTP exchange of `message` (a parsed JSON-RPC body) inside a span for it, when
   * the SDK owns the transport (2026-07-28 requests): the span ends with the answer found in
   * the Response, which reaches the client unchanged.
   */
  traceExchange(message: unknown, serve: () => Promise<Response>): Promise<Response>;
  /** A fetch that makes a span per HQ call, a child of the MCP request span it runs under. */
  traceFetch(fetch: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** The module the chunk exports. */
export interface TelemetryModule {
  startTelemetry(settings: TelemetrySettings, logger: Logger): McpTelemetry;
}

/** File name of the OpenTelemetry chunk, next to the bin. */
export const TELEMETRY_CHUNK = 'lenses-mcp-otel.js';

/**
 * Loads the OpenTelemetry chunk from `directory` (the bin's own) and starts tracing, or
 * says why not: tracing is never a reason for the server not to start (as the official one).
 */
export function loadTelemetry(settings: TelemetrySettings, logger: Logger, directory: string): McpTelemetry | undefined {
  const chunk = join(directory, TELEMETRY_CHUNK);
  if (!existsSync(chunk)) {
    logger.warn(`OTEL_ENABLED is on, but this copy of lenses-mcp has no ${TELEMETRY_CHUNK} beside it: traces are off (install the npm package for tracing)`);
    return undefined;
  }
  try {
    // A computed path: the bundler leaves this require to run time, so the bin carries no OpenTelemetry.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time load of a file beside the bin, on purpose
    const loaded = require(chunk) as TelemetryModule;
    const telemetry = loaded.startTelemetry(settings, logger);
    logger.info(`OpenTelemetry traces on: ${settings.exporter === 'console' ? 'spans on stderr' : 'OTLP/HTTP protobuf'}, service ${settings.serviceName}`);
    return telemetry;
  } catch (error) {
    logger.warn(`OpenTelemetry could not start, traces are off: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
