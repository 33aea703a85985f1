/**
 * The OpenTelemetry half of tracing, bundled on its own as `dist/lenses-mcp-otel.js` and
 * loaded only when OTEL_ENABLED is on: OpenTelemetry's Node SDK, its OTLP/HTTP protobuf
 * exporter (which reads OTEL_EXPORTER_OTLP_ENDPOINT, _TRACES_ENDPOINT, _HEADERS, _TIMEOUT…)
 * and a batch processor (OTEL_BSP_*).
 *
 * What spans carry: the MCP method, the tool name, the `environment` argument (a Lenses
 * environment name) and the outcome; for HQ calls the HTTP method, status and environment.
 * Never a token, API key, other argument value, URL or path (paths hold topic names).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/server';
import type { Logger } from '../log';
import type { McpTelemetry, TelemetryModule, TelemetrySettings } from './telemetry';

/** Environment names as Lenses allows them; anything else is not recorded. */
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export const startTelemetry: TelemetryModule['startTelemetry'] = (settings: TelemetrySettings, logger: Logger): McpTelemetry => {
  const exporter: SpanExporter = settings.exporter === 'console' ? new StderrSpanExporter() : new OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName, 'service.version': settings.serviceVersion }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // AsyncLocalStorage context: an HQ call made while a tool runs is a child of its MCP span.
  provider.register();
  const tracer = provider.getTracer('lenses-mcp', settings.serviceVersion);
  traceSqlSockets(tracer);
  return {
    traceTransport: (transport) => new TracedTransport(transport, tracer),
    traceFetch: (inner) => tracedFetch(inner, tracer),
    shutdown: async () => {
      await provider
        .shutdown()
        .catch((error: unknown) => logger.warn(`OpenTelemetry did not flush: ${error instanceof Error ? error.message : String(error)}`));
    },
  };
};

interface JsonRpcShape {
  id?: unknown;
  method?: unknown;
  params?: { name?: unknown; arguments?: { environment?: unknown } };
  result?: { isError?: unknown };
  error?: { code?: unknown };
}

/**
 * A transport that opens a span for each JSON-RPC request it receives (`tools/call <tool>`,
 * as FastMCP names them) and ends it with the answer: `ok`, `tool_error` (a result with
 * isError) or `error` (a JSON-RPC error). The handler runs inside the span's context.
 */
class TracedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  private readonly open = new Map<string | number, Span>();

  constructor(
    private readonly inner: Transport,
    private readonly tracer: Tracer,
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    // Handlers the owner set on the inner transport before it was wrapped keep running.
    const ownClose = this.inner.onclose;
    const ownError = this.inner.onerror;
    this.inner.onclose = () => {
      ownClose?.();
      for (const span of this.open.values()) span.end();
      this.open.clear();
      this.onclose?.();
    };
    this.inner.onerror = (error) => {
      ownError?.(error);
      this.onerror?.(error);
    };
    this.inner.onmessage = (message, extra) => this.received(message, extra);
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.answered(message);
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private received(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    const shape = message as JsonRpcShape;
    const id = shape.id;
    if (typeof shape.method !== 'string' || (typeof id !== 'string' && typeof id !== 'number')) {
      this.onmessage?.(message, extra);
      return;
    }
    const attributes: Attributes = { 'mcp.method.name': shape.method };
    let name = shape.method;
    if (shape.method === 'tools/call' && typeof shape.params?.name === 'string') {
      name = `tools/call ${shape.params.name}`;
      attributes['gen_ai.tool.name'] = shape.params.name;
      const environment = shape.params.arguments?.environment;
      if (typeof environment === 'string' && ENVIRONMENT_NAME.test(environment)) attributes['lenses.environment'] = environment;
    }
    const span = this.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes });
    this.open.get(id)?.end();
    this.open.set(id, span);
    context.with(trace.setSpan(context.active(), span), () => this.onmessage?.(message, extra));
  }

  private answered(message: JSONRPCMessage): void {
    const shape = message as JsonRpcShape;
    if (shape.method !== undefined || (typeof shape.id !== 'string' && typeof shape.id !== 'number')) return;
    const span = this.open.get(shape.id);
    if (!span) return;
    this.open.delete(shape.id);
    if (shape.error) {
      span.setAttribute('lenses.outcome', 'error');
      if (typeof shape.error.code === 'number') span.setAttribute('rpc.jsonrpc.error_code', shape.error.code);
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (shape.result?.isError === true) {
      span.setAttribute('lenses.outcome', 'tool_error');
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else {
      span.setAttribute('lenses.outcome', 'ok');
    }
    span.end();
  }
}

/** A fetch with a client span per HQ call: method, status, environment and outcome, never the URL. */
function tracedFetch(inner: typeof fetch, tracer: Tracer): typeof fetch {
  return async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    const attributes: Attributes = { 'http.request.method': method, 'lenses.hq.call': path.endsWith('/oauth2/introspect') ? 'introspection' : 'api' };
    const environment = /^\/api\/v1\/environments\/([^/]+)/.exec(path)?.[1];
    if (environment !== undefined && ENVIRONMENT_NAME.test(environment)) attributes['lenses.environment'] = environment;
    return tracer.startActiveSpan(`HQ ${method}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      try {
        const response = await inner(input, init);
        span.setAttribute('http.response.status_code', response.status);
        span.setAttribute('lenses.outcome', response.status < 400 ? 'ok' : 'error');
        if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      } catch (error) {
        span.setAttribute('lenses.outcome', 'error');
        span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
  };
}

/**
 * A client span per SQL query: the SQL WebSocket is not a fetch, so its handshake is seen
 * through Node's `http.client.request.start` diagnostics channel (it runs in the caller's
 * async context, under the tool's span). The span lasts until the socket closes; `error` when
 * the handshake is refused or fails.
 */
function traceSqlSockets(tracer: Tracer): void {
  subscribe('http.client.request.start', (message) => {
    const request = (message as { request?: ClientRequest }).request;
    if (!request || !request.path.includes('/api/ws/')) return;
    const attributes: Attributes = { 'lenses.hq.call': 'sql' };
    const environment = /^\/api\/v1\/environments\/([^/]+)/.exec(request.path)?.[1];
    if (environment !== undefined && ENVIRONMENT_NAME.test(environment)) attributes['lenses.environment'] = environment;
    const span = tracer.startSpan('HQ SQL', { kind: SpanKind.CLIENT, attributes });
    let ended = false;
    const end = (outcome: 'ok' | 'error', status?: number) => {
      if (ended) return;
      ended = true;
      span.setAttribute('lenses.outcome', outcome);
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    let upgraded = false;
    request.once('upgrade', (_response: IncomingMessage, socket: Duplex) => {
      upgraded = true;
      socket.once('close', () => end('ok', 101));
    });
    request.once('response', (response: IncomingMessage) => end('error', response.statusCode));
    request.once('error', () => end('error'));
    // Closed without an upgrade (a handshake timeout, an abort): the query never ran.
    request.once('close', () => upgraded || end('error'));
  });
}

/** OTEL_EXPORTER=console: one JSON line per span on stderr (stdout carries stdio JSON-RPC). */
class StderrSpanExporter implements SpanExporter {
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) {
      const [seconds, nanos] = span.duration;
      process.stderr.write(
        `${JSON.stringify({ name: span.name, traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, parentSpanId: span.parentSpanContext?.spanId, durationMs: seconds * 1000 + nanos / 1e6, status: span.status.code, attributes: span.attributes })}\n`,
      );
    }
    done({ code: ExportResultCode.SUCCESS });
  }

  async shutdown(): Promise<void> {}
}
