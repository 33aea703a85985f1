/**
 * The OpenTelemetry half of tracing, bundled on its own as `dist/lenses-mcp-otel.js` and
 * loaded only when OTEL_ENABLED is on: OpenTelemetry's Node SDK, its OTLP/HTTP protobuf
 * exporter (which reads OTEL_EXPORTER_OTLP_ENDPOINT, _TRACES_ENDPOINT, _HEADERS, _TIMEOUT…)
 * and a batch processor (OTEL_BSP_*).
 *
 * What spans carry: the MCP method, the tool name, the `environment` argument (a Lenses
 * environment name) and the outcome; for HQ calls the HTTP method, status and environment.
 * Never a token, API key, other argument value, URL or path (paths hold topic names). Method
 * and tool names only when the server knows them (else `_OTHER`), every string value at most
 * ATTRIBUTE_VALUE_LIMIT characters (RS-26).
 * A request whose `_meta` carries the client's W3C trace context continues that trace, but the
 * client's sampled flag does not decide for the server: the sampler is AlwaysOn, not ParentBased.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { context, defaultTextMapGetter, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/server';
import type { Logger } from '../log';
import { watchAnswer } from './exchangeAnswer';
import { ATTRIBUTE_VALUE_LIMIT, boundedValue, SpanNames } from './spanNames';
import type { McpTelemetry, TelemetryModule, TelemetrySettings } from './telemetry';

/** Environment names as Lenses allows them; anything else is not recorded. */
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export const startTelemetry: TelemetryModule['startTelemetry'] = (settings: TelemetrySettings, logger: Logger): McpTelemetry => {
  const exporter: SpanExporter = settings.exporter === 'console' ? new StderrSpanExporter() : new OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName, 'service.version': settings.serviceVersion }),
    // Every request is traced: a client's traceparent with the sampled flag off (`-00`) must not
    // switch the server's own tracing off, as the default ParentBased sampler would.
    sampler: new AlwaysOnSampler(),
    spanLimits: { attributeValueLengthLimit: ATTRIBUTE_VALUE_LIMIT },
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // AsyncLocalStorage context: an HQ call made while a tool runs is a child of its MCP span.
  provider.register();
  const tracer = provider.getTracer('lenses-mcp', settings.serviceVersion);
  const spans = new McpRequestSpans(tracer, new SpanNames(settings.toolNames));
  traceSqlSockets(tracer);
  return {
    traceTransport: (transport) => new TracedTransport(transport, spans),
    traceExchange: (message, serve) => tracedExchange(spans, message, serve),
    traceFetch: (inner) => tracedFetch(inner, tracer),
    shutdown: async () => {
      await provider
        .shutdown()
        .catch((error: unknown) => logger.warn(`OpenTelemetry did not flush: ${error instanceof Error ? error.message : String(error)}`));
    },
  };
};

/** The W3C trace context a request's `_meta` may carry (2026-07-28 defines it; 2025 clients may send it too). */
interface TraceContextMeta {
  traceparent?: unknown;
  tracestate?: unknown;
}

interface JsonRpcShape {
  id?: unknown;
  method?: unknown;
  params?: { name?: unknown; arguments?: { environment?: unknown }; _meta?: TraceContextMeta };
  result?: { isError?: unknown; resultType?: unknown };
  error?: { code?: unknown };
}

type RequestId = string | number;

/** What a span of a JSON-RPC request ends with: its answer's outcome, or none (closed unanswered). */
type Outcome = 'ok' | 'tool_error' | 'input_required' | 'error';

/**
 * The server span of one JSON-RPC request, either era: named as FastMCP names them
 * (`tools/call <tool>`; an unknown method or tool is `_OTHER`), a child of the client's W3C trace context when the request's
 * `_meta` carries one (`traceparent`, `tracestate`: the SDK's TRACEPARENT_META_KEY and
 * TRACESTATE_META_KEY, the same names as the HTTP headers); a malformed one is ignored.
 */
class McpRequestSpans {
  private readonly propagator = new W3CTraceContextPropagator();

  constructor(
    private readonly tracer: Tracer,
    private readonly names: SpanNames,
  ) {}

  /** A span for a request (a message with a method and an id) and the context to run its handler in; nothing for others. */
  open(message: unknown): { id: RequestId; span: Span; context: Context } | undefined {
    if (typeof message !== 'object' || message === null) return undefined;
    const shape = message as JsonRpcShape;
    const id = shape.id;
    if (typeof shape.method !== 'string' || (typeof id !== 'string' && typeof id !== 'number')) return undefined;
    const method = this.names.method(shape.method);
    const attributes: Attributes = { 'mcp.method.name': method };
    let name = method;
    if (method === 'tools/call') {
      const tool = this.names.tool(shape.params?.name);
      name = `tools/call ${tool}`;
      attributes['gen_ai.tool.name'] = tool;
      const environment = shape.params?.arguments?.environment;
      if (typeof environment === 'string' && ENVIRONMENT_NAME.test(environment)) attributes['lenses.environment'] = environment;
    }
    const parent = this.clientContext(shape.params?._meta);
    const span = this.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    return { id, span, context: trace.setSpan(parent, span) };
  }

  /** Ends the span with the outcome of `answer` (a JSON-RPC result or error). */
  answered(span: Span, answer: unknown): void {
    const shape = answer as JsonRpcShape;
    if (shape.error) {
      if (typeof shape.error.code === 'number') span.setAttribute('rpc.jsonrpc.error_code', shape.error.code);
      this.end(span, 'error');
    } else if (shape.result?.isError === true) this.end(span, 'tool_error');
    else if (shape.result?.resultType === 'input_required') this.end(span, 'input_required');
    else this.end(span, 'ok');
  }

  end(span: Span, outcome?: Outcome): void {
    if (outcome) span.setAttribute('lenses.outcome', outcome);
    if (outcome === 'error' || outcome === 'tool_error') span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  private clientContext(meta: TraceContextMeta | undefined): Context {
    const active = context.active();
    if (typeof meta !== 'object' || meta === null || typeof meta.traceparent !== 'string') return active;
    const carrier: Record<string, string> = { traceparent: meta.traceparent };
    if (typeof meta.tracestate === 'string') carrier.tracestate = meta.tracestate;
    return this.propagator.extract(active, carrier, defaultTextMapGetter);
  }
}

/**
 * A 2026-07-28 HTTP exchange: the SDK serves it on a per-request transport of its own (which
 * must stay the object the server connects to), so the span is opened around the whole
 * exchange and ended by the answer found in its Response.
 */
async function tracedExchange(spans: McpRequestSpans, message: unknown, serve: () => Promise<Response>): Promise<Response> {
  const opened = spans.open(message);
  if (!opened) return serve();
  let response: Response;
  try {
    response = await context.with(opened.context, serve);
  } catch (error) {
    opened.span.setAttribute('error.type', boundedValue(error instanceof Error ? error.name : 'Error'));
    spans.end(opened.span, 'error');
    throw error;
  }
  const status = response.status;
  return watchAnswer(response, opened.id, (answer) =>
    answer ? spans.answered(opened.span, answer) : spans.end(opened.span, status >= 400 ? 'error' : undefined),
  );
}

/**
 * A transport that opens a span for each JSON-RPC request it receives and ends it with the
 * answer: `ok`, `tool_error` (a result with isError), `input_required` (a 2026-07-28 result
 * asking the client for input first) or `error` (a JSON-RPC error). The handler runs inside
 * the span's context.
 */
class TracedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  private readonly open = new Map<RequestId, Span>();

  constructor(
    private readonly inner: Transport,
    private readonly spans: McpRequestSpans,
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
      for (const span of this.open.values()) this.spans.end(span);
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
    const opened = this.spans.open(message);
    if (!opened) {
      this.onmessage?.(message, extra);
      return;
    }
    const earlier = this.open.get(opened.id);
    if (earlier) this.spans.end(earlier);
    this.open.set(opened.id, opened.span);
    context.with(opened.context, () => this.onmessage?.(message, extra));
  }

  private answered(message: JSONRPCMessage): void {
    const shape = message as JsonRpcShape;
    if (shape.method !== undefined || (typeof shape.id !== 'string' && typeof shape.id !== 'number')) return;
    const span = this.open.get(shape.id);
    if (!span) return;
    this.open.delete(shape.id);
    this.spans.answered(span, message);
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
        span.setAttribute('error.type', boundedValue(error instanceof Error ? error.name : 'Error'));
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
