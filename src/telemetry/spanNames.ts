/**
 * What a span may be named after: a client chooses the method and tool names it sends, so a
 * name reaches a span only when the server knows it (a 50,000-character tool name must not
 * become a 50,000-character span name, nor one span name per call). Plain code, no OpenTelemetry.
 */

/**
 * The name recorded for a method or tool the server does not know: `_OTHER`, as the
 * OpenTelemetry semantic conventions record an unknown HTTP method.
 */
export const UNKNOWN_NAME = '_OTHER';

/** The longest string attribute value a span carries; longer ones are cut (the span processor enforces it too). */
export const ATTRIBUTE_VALUE_LIMIT = 128;

/**
 * The requests a client sends a server, from the MCP schema of 2025-11-25 and 2026-07-28
 * (https://modelcontextprotocol.io/specification): anything else is `_OTHER`.
 */
export const MCP_REQUEST_METHODS: ReadonlySet<string> = new Set([
  'initialize',
  'ping',
  'server/discover',
  'subscriptions/listen',
  'tools/list',
  'tools/call',
  'prompts/list',
  'prompts/get',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'completion/complete',
  'logging/setLevel',
  'tasks/get',
  'tasks/result',
  'tasks/list',
  'tasks/cancel',
]);

/** Turns what a client sent into names fit for spans: known ones as they are, anything else `_OTHER`. */
export class SpanNames {
  private readonly tools: ReadonlySet<string>;

  /** `toolNames`: the tools the server has (the tool table's names). */
  constructor(toolNames: Iterable<string>) {
    this.tools = new Set(toolNames);
  }

  method(sent: unknown): string {
    return typeof sent === 'string' && MCP_REQUEST_METHODS.has(sent) ? sent : UNKNOWN_NAME;
  }

  tool(sent: unknown): string {
    return typeof sent === 'string' && this.tools.has(sent) ? sent : UNKNOWN_NAME;
  }
}

/** A string attribute value cut to `ATTRIBUTE_VALUE_LIMIT` characters. */
export function boundedValue(value: string): string {
  return value.length > ATTRIBUTE_VALUE_LIMIT ? value.slice(0, ATTRIBUTE_VALUE_LIMIT) : value;
}
