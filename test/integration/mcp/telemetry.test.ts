import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport, TRACEPARENT_META_KEY, TRACESTATE_META_KEY } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import * as esbuild from 'esbuild';
import { commonOptions } from '../../../scripts/esbuild/options.mjs';
import { z } from 'zod';
import { MODERN_PROTOCOL_VERSION } from '../../../src/mcp/server';
import { TELEMETRY_CHUNK } from '../../../src/telemetry/telemetry';
import { startHq, type RunningHq } from '../../../hq-emulator/testing';
import { connectClient, resultText } from './harness';
import { buildBin, startBin, type RunningBin } from './standaloneProcess';

const ROOT = resolve(__dirname, '../../..');

/** OpenTelemetry's own protobuf types (the generated ones of @opentelemetry/otlp-transformer 0.213, an npm alias). */
interface ProtoType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: { longs: StringConstructor; bytes: StringConstructor; defaults: boolean }): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- protobufjs static code without types of its own
const protoRoot = require('otlp-proto-types/build/src/generated/root') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtoType } } } } };
};
const ExportTraceServiceRequest = protoRoot.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

interface AnyValue {
  stringValue?: string;
  intValue?: string;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface DecodedSpan {
  name: string;
  /** Base64, as protobufjs turns bytes into strings: see `hex`. */
  traceId: string;
  spanId: string;
  parentSpanId: string;
  kind: number;
  attributes: KeyValue[];
  status?: { code?: number };
}
interface DecodedRequest {
  resourceSpans: Array<{ resource: { attributes: KeyValue[] }; scopeSpans: Array<{ spans: DecodedSpan[] }> }>;
}

const attribute = (attributes: KeyValue[], key: string) => {
  const value = attributes.find((entry) => entry.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.boolValue;
};

/** A span or trace id as the W3C traceparent writes it. */
const hex = (base64: string) => Buffer.from(base64, 'base64').toString('hex');

/** A trace context a client might send: the trace and its span, and the `traceparent` naming them (sampled). */
function clientTraceContext(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/** A loopback OTLP/HTTP receiver: keeps every protobuf body POSTed to /v1/traces. */
async function startReceiver(): Promise<{ url: string; bodies: Buffer[]; close(): Promise<void> }> {
  const bodies: Buffer[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type'] === 'application/x-protobuf') bodies.push(Buffer.concat(chunks));
      // An empty ExportTraceServiceResponse.
      response.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
      response.end();
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () =>
      new Promise((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

/** Bundles the OpenTelemetry chunk next to the test bin, as esbuild.mjs puts it next to dist/lenses-mcp.js. */
async function buildChunkBeside(bin: string): Promise<void> {
  await esbuild.build({
    ...commonOptions,
    entryPoints: [join(ROOT, 'src/telemetry/otel.ts')],
    outfile: join(dirname(bin), TELEMETRY_CHUNK),
    logLevel: 'silent',
  });
}

/** The bin with its chunk and OTLP export to `receiver`, spans batched every 50 ms. */
async function startTracedBin(hq: RunningHq, receiver: { url: string }, extra: Record<string, string> = {}): Promise<RunningBin> {
  const bin = await buildBin();
  await buildChunkBeside(bin);
  return startBin({
    TRANSPORT: 'http',
    HOST: '127.0.0.1',
    PORT: '0',
    LENSES_URL: hq.url,
    LENSES_API_KEY: hq.apiKey,
    OTEL_ENABLED: 'true',
    OTEL_SERVICE_NAME: 'lenses-mcp-test',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    ...extra,
  });
}

function decode(bodies: Buffer[]): DecodedRequest[] {
  return bodies.map(
    (body) => ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: String, bytes: String, defaults: true }) as DecodedRequest,
  );
}

function spansOf(requests: DecodedRequest[]): DecodedSpan[] {
  return requests.flatMap((request) => request.resourceSpans.flatMap((resourceSpans) => resourceSpans.scopeSpans.flatMap((scope) => scope.spans)));
}

/** What the bin exported, every byte of it as text too (for the "never in a span" checks). */
function exported(receiver: { bodies: Buffer[] }): { spans: DecodedSpan[]; everything: string } {
  const requests = decode(receiver.bodies);
  return { spans: spansOf(requests), everything: `${receiver.bodies.map((body) => body.toString('latin1')).join('')}${JSON.stringify(requests)}` };
}

describe('OpenTelemetry (OTEL_ENABLED, OTLP/HTTP protobuf)', function () {
  this.timeout(60_000);
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0 });
  });
  after(() => hq?.close());

  it('a tool call gives a server span and child HQ spans with tool, environment and outcome; no token, key, argument or URL in any span', async () => {
    const receiver = await startReceiver();
    const server = await startTracedBin(hq, receiver);
    try {
      assert.match(server.stderr(), /OpenTelemetry traces on: OTLP\/HTTP protobuf, service lenses-mcp-test/);
      assert.equal((await fetch(new URL('/ready', server.url))).status, 200);
      const client = await connectClient(server.url);
      await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: 'customers' } });
      const sql = await client.callTool({ name: 'execute_sql', arguments: { environment: 'dev', sql: 'SELECT * FROM payments LIMIT 2' } });
      assert.notEqual(sql.isError, true, resultText(sql));
      const missing = await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: 'no-such-topic-4711' } });
      assert.equal(missing.isError, true, resultText(missing));
      await client.close();
      assert.equal(await server.stop('SIGTERM'), 0, 'SIGTERM flushes the spans and exits 0');

      const requests = decode(receiver.bodies);
      assert.ok(requests.length > 0, 'the receiver got OTLP protobuf');
      const resource = requests[0].resourceSpans[0].resource.attributes;
      assert.equal(attribute(resource, 'service.name'), 'lenses-mcp-test');
      const spans = spansOf(requests);
      const calls = spans.filter((span) => span.name === 'tools/call get_topic');
      assert.equal(calls.length, 2, spans.map((span) => span.name).join(', '));
      const outcomes = calls.map((span) => attribute(span.attributes, 'lenses.outcome')).sort();
      assert.deepEqual(outcomes, ['ok', 'tool_error']);
      for (const call of calls) {
        assert.equal(call.kind, 2, 'SERVER');
        assert.equal(attribute(call.attributes, 'gen_ai.tool.name'), 'get_topic');
        assert.equal(attribute(call.attributes, 'lenses.environment'), 'dev');
        assert.equal(attribute(call.attributes, 'mcp.method.name'), 'tools/call');
        const hqCalls = spans.filter((span) => span.parentSpanId === call.spanId);
        assert.ok(hqCalls.length >= 1, 'each tool call has an HQ span under it');
        for (const hqCall of hqCalls) {
          assert.equal(hqCall.name, 'HQ GET');
          assert.equal(hqCall.kind, 3, 'CLIENT');
          assert.equal(attribute(hqCall.attributes, 'lenses.environment'), 'dev');
          assert.ok(['200', '404'].includes(String(attribute(hqCall.attributes, 'http.response.status_code'))));
        }
      }
      assert.ok(
        spans.some((span) => span.name === 'initialize'),
        'other MCP requests have spans too',
      );
      const sqlCall = spans.find((span) => span.name === 'tools/call execute_sql');
      assert.ok(sqlCall, 'execute_sql has a span');
      const sqlSpans = spans.filter((span) => span.name === 'HQ SQL');
      assert.equal(sqlSpans.length, 1, 'the SQL WebSocket has a span of its own');
      assert.equal(sqlSpans[0].parentSpanId, sqlCall.spanId);
      assert.deepEqual(
        ['lenses.hq.call', 'lenses.environment', 'lenses.outcome'].map((key) => attribute(sqlSpans[0].attributes, key)),
        ['sql', 'dev', 'ok'],
      );
      const callIds = new Set([...calls, sqlCall].map((call) => call.spanId));
      const hqSpans = spans.filter((span) => span.name.startsWith('HQ '));
      assert.deepEqual(
        hqSpans.filter((span) => !callIds.has(span.parentSpanId)),
        [],
        'every HQ span belongs to a tool call (the /ready probe makes none)',
      );

      const { everything } = exported(receiver);
      const { host } = new URL(hq.url);
      for (const secret of [hq.apiKey, 'customers', 'no-such-topic-4711', 'payments', 'SELECT', host, '/api/', 'Bearer'])
        assert.ok(!everything.includes(secret), `"${secret}" appears in the spans`);
    } finally {
      await server.stop();
      await receiver.close();
    }
  });

  it('a 2025 request carrying a traceparent in _meta continues that trace; one without is a root span', async () => {
    const receiver = await startReceiver();
    const server = await startTracedBin(hq, receiver);
    try {
      const client = await connectClient(server.url);
      const parent = clientTraceContext();
      await client.callTool({
        name: 'get_topic',
        arguments: { environment: 'dev', topic_name: 'customers' },
        _meta: { [TRACEPARENT_META_KEY]: parent.traceparent },
      });
      await client.listTools();
      await client.close();
      assert.equal(await server.stop('SIGTERM'), 0);

      const { spans } = exported(receiver);
      const call = spans.find((span) => span.name === 'tools/call get_topic');
      assert.ok(call, spans.map((span) => span.name).join(', '));
      assert.deepEqual([hex(call.traceId), hex(call.parentSpanId)], [parent.traceId, parent.spanId]);
      assert.equal(attribute(call.attributes, 'lenses.outcome'), 'ok');
      const hqCall = spans.find((span) => span.parentSpanId === call.spanId);
      assert.equal(hqCall?.name, 'HQ GET');
      assert.equal(hex(hqCall.traceId), parent.traceId, "the HQ call is in the client's trace too");
      const list = spans.find((span) => span.name === 'tools/list');
      assert.ok(list && list.parentSpanId === '' && hex(list.traceId) !== parent.traceId, 'a request without trace context starts a trace of its own');
    } finally {
      await server.stop();
      await receiver.close();
    }
  });

  it('RS-26 names a client makes up never become span names or long attributes, and a traceparent with sampling off leaves the server tracing', async () => {
    const receiver = await startReceiver();
    const server = await startTracedBin(hq, receiver);
    const madeUp = `${'x'.repeat(50_000)} \u202e\n"}`;
    try {
      const client = await connectClient(server.url);
      await assert.rejects(client.callTool({ name: madeUp, arguments: { environment: 'dev' } }), (error: Error) => error.message.startsWith('Unknown tool'));
      await assert.rejects(client.request({ method: `y${madeUp}`, params: {} }, z.object({})), (error: Error) => /not found/i.test(error.message.slice(0, 40)));
      const parent = clientTraceContext();
      const notSampled = `00-${parent.traceId}-${parent.spanId}-00`;
      await client.callTool({ name: 'list_environments', arguments: {}, _meta: { [TRACEPARENT_META_KEY]: notSampled } });
      await client.close();
      assert.equal(await server.stop('SIGTERM'), 0);

      const { spans, everything } = exported(receiver);
      const names = spans.map((span) => span.name);
      assert.ok(names.includes('tools/call _OTHER'), names.join(', '));
      assert.ok(names.includes('_OTHER'), `the unknown method has a span of a fixed name: ${names.join(', ')}`);
      const unknown = spans.find((span) => span.name === 'tools/call _OTHER');
      assert.deepEqual(
        ['mcp.method.name', 'gen_ai.tool.name'].map((key) => attribute(unknown?.attributes ?? [], key)),
        ['tools/call', '_OTHER'],
      );
      const method = spans.find((span) => span.name === '_OTHER');
      assert.deepEqual(
        ['mcp.method.name', 'rpc.jsonrpc.error_code'].map((key) => String(attribute(method?.attributes ?? [], key))),
        ['_OTHER', '-32601'],
      );
      for (const span of spans) {
        assert.ok(span.name.length <= 64, `span name of ${span.name.length} characters`);
        for (const { key, value } of span.attributes) assert.ok((value.stringValue ?? '').length <= 128, `${key} of ${value.stringValue?.length} characters`);
      }
      assert.ok(!everything.includes('xxxxxxxx'), 'no part of the made-up name is exported');
      const traced = spans.find((span) => span.name === 'tools/call list_environments');
      assert.ok(traced, "the call whose traceparent says 'not sampled' is traced all the same");
      assert.deepEqual([hex(traced.traceId), hex(traced.parentSpanId)], [parent.traceId, parent.spanId], "in the client's trace");
      assert.ok(
        spans.some((span) => span.name === 'HQ GET' && span.parentSpanId === traced.spanId),
        'with its HQ call',
      );
    } finally {
      await server.stop();
      await receiver.close();
    }
  });

  it('2026-07-28 requests get the same server spans (ok, tool_error, input_required) with HQ spans under them, a client traceparent continued, a malformed one ignored', async () => {
    const receiver = await startReceiver();
    const server = await startTracedBin(hq, receiver);
    const questions: string[] = [];
    const client = new Client(
      { name: 'telemetry-test', version: '1' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } },
    );
    client.setRequestHandler('elicitation/create', (request) => {
      questions.push(request.params.message);
      return { action: 'accept', content: { confirm_name: 'orders-sink' } };
    });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN_PROTOCOL_VERSION);
      const parent = clientTraceContext();
      const found = await client.callTool({
        name: 'get_topic',
        arguments: { environment: 'dev', topic_name: 'customers' },
        _meta: { [TRACEPARENT_META_KEY]: parent.traceparent, [TRACESTATE_META_KEY]: 'lenses=test' },
      });
      assert.notEqual(found.isError, true, resultText(found));
      const missing = await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: 'no-such-topic-4711' } });
      assert.equal(missing.isError, true, resultText(missing));
      const malformed = await client.callTool({
        name: 'list_environments',
        arguments: {},
        _meta: { [TRACEPARENT_META_KEY]: '00-not-a-trace-context-01', [TRACESTATE_META_KEY]: '=' },
      });
      assert.match(resultText(malformed), /dev/, 'a malformed traceparent is no reason not to serve');
      // Progress notifications before the answer: the response is an SSE stream, not one JSON body.
      const progress: number[] = [];
      const sql = await client.callTool(
        { name: 'execute_sql', arguments: { environment: 'dev', sql: 'SELECT * FROM payments LIMIT 2' } },
        { onprogress: (update) => progress.push(update.progress) },
      );
      assert.notEqual(sql.isError, true, resultText(sql));
      assert.ok(progress.length > 0, 'the SQL call streamed progress');
      const deleted = await client.callTool({
        name: 'delete_kafka_connector',
        arguments: { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' },
      });
      assert.notEqual(deleted.isError, true, resultText(deleted));
      assert.equal(questions.length, 1, 'the delete on prod was confirmed through input_required');
      await client.close();
      assert.equal(await server.stop('SIGTERM'), 0, 'SIGTERM flushes the spans and exits 0');

      const { spans, everything } = exported(receiver);
      const names = spans.map((span) => span.name).join(', ');
      assert.ok(
        spans.some((span) => span.name === 'server/discover'),
        `the discovery request has a span: ${names}`,
      );
      assert.ok(
        spans.every((span) => span.name !== 'initialize'),
        'a 2026-07-28 client sends no initialize',
      );
      const calls = spans.filter((span) => span.name === 'tools/call get_topic');
      assert.equal(calls.length, 2, names);
      for (const call of calls) {
        assert.equal(call.kind, 2, 'SERVER');
        assert.deepEqual(
          ['mcp.method.name', 'gen_ai.tool.name', 'lenses.environment'].map((key) => attribute(call.attributes, key)),
          ['tools/call', 'get_topic', 'dev'],
        );
        const hqCalls = spans.filter((span) => span.parentSpanId === call.spanId);
        assert.ok(hqCalls.length >= 1, 'each tool call has an HQ span under it');
        for (const hqCall of hqCalls) assert.deepEqual([hqCall.name, hqCall.kind, attribute(hqCall.attributes, 'lenses.environment')], ['HQ GET', 3, 'dev']);
      }
      const traced = calls.find((call) => hex(call.traceId) === parent.traceId);
      assert.ok(traced, "the call with a traceparent is in the client's trace");
      assert.equal(hex(traced.parentSpanId), parent.spanId);
      assert.equal(attribute(traced.attributes, 'lenses.outcome'), 'ok');
      const untraced = calls.find((call) => call !== traced);
      assert.equal(attribute(untraced?.attributes ?? [], 'lenses.outcome'), 'tool_error');
      assert.equal(untraced?.status?.code, 2, 'a tool error is an ERROR status');

      const environments = spans.find((span) => span.name === 'tools/call list_environments');
      assert.ok(environments, names);
      assert.equal(environments.parentSpanId, '', 'a malformed traceparent is ignored: a root span');
      assert.equal(attribute(environments.attributes, 'lenses.outcome'), 'ok');

      const sqlCall = spans.find((span) => span.name === 'tools/call execute_sql');
      assert.equal(attribute(sqlCall?.attributes ?? [], 'lenses.outcome'), 'ok', 'the outcome is read from the SSE stream');
      const sqlSpan = spans.find((span) => span.name === 'HQ SQL');
      assert.equal(sqlSpan?.parentSpanId, sqlCall?.spanId);

      const deletes = spans.filter((span) => span.name === 'tools/call delete_kafka_connector');
      assert.deepEqual(
        deletes.map((span) => attribute(span.attributes, 'lenses.outcome')).sort(),
        ['input_required', 'ok'],
        'the question, then the retry that ran',
      );
      for (const span of deletes) assert.equal(attribute(span.attributes, 'lenses.environment'), 'prod');
      const deleteCall = deletes.find((span) => attribute(span.attributes, 'lenses.outcome') === 'ok');
      assert.ok(
        spans.some((span) => span.name === 'HQ DELETE' && span.parentSpanId === deleteCall?.spanId),
        'the HQ delete is under the retry',
      );

      const callIds = new Set(spans.filter((span) => span.kind === 2).map((span) => span.spanId));
      assert.deepEqual(
        spans.filter((span) => span.name.startsWith('HQ ') && !callIds.has(span.parentSpanId)).map((span) => span.name),
        [],
        'no HQ span is a root',
      );
      const { host } = new URL(hq.url);
      for (const secret of [hq.apiKey, 'customers', 'no-such-topic-4711', 'payments', 'SELECT', 'orders-sink', 'connect-prod', host, '/api/', 'Bearer'])
        assert.ok(!everything.includes(secret), `"${secret}" appears in the spans`);
    } finally {
      await client.close();
      await server.stop();
      await receiver.close();
    }
  });

  it('a 2026-07-28 stdio client gets the same spans (OTEL_EXPORTER=console on stderr), its traceparent continued', async () => {
    const bin = await buildBin();
    await buildChunkBeside(bin);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin],
      env: { PATH: process.env.PATH ?? '', LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey, OTEL_ENABLED: 'true', OTEL_EXPORTER: 'console' },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'telemetry-test', version: '1' }, { versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } });
    await client.connect(transport);
    const parent = clientTraceContext();
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN_PROTOCOL_VERSION);
      await client.callTool({ name: 'list_environments', arguments: {}, _meta: { [TRACEPARENT_META_KEY]: parent.traceparent } });
    } finally {
      // Closing stdin ends the bin, which flushes its spans first.
      await client.close();
    }
    const spans = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: Record<string, unknown> });
    const call = spans.find((span) => span.name === 'tools/call list_environments');
    assert.ok(call, stderr);
    assert.deepEqual([call.traceId, call.parentSpanId, call.attributes['lenses.outcome']], [parent.traceId, parent.spanId, 'ok']);
    assert.ok(spans.some((span) => span.name === 'HQ GET' && span.parentSpanId === call.spanId));
  });

  it('off (the default): the bin holds no OpenTelemetry code and runs without the chunk; on without the chunk: one warning, and it serves', async () => {
    const bundle = readFileSync(await buildBin(), 'utf8');
    for (const marker of ['@opentelemetry', 'OTLPTraceExporter', 'BatchSpanProcessor']) assert.ok(!bundle.includes(marker), marker);
    const { mkdtempSync, copyFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const alone = join(mkdtempSync(join(tmpdir(), 'lenses-mcp-alone-')), 'lenses-mcp.js');
    copyFileSync(await buildBin(), alone);
    for (const enabled of ['false', 'true']) {
      const server = await startBin(
        { TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0', LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey, OTEL_ENABLED: enabled },
        alone,
      );
      try {
        const warnings = server
          .stderr()
          .split('\n')
          .filter((line) => line.includes('OTEL_ENABLED'));
        assert.equal(warnings.length, enabled === 'true' ? 1 : 0, server.stderr());
        const client = await connectClient(server.url);
        assert.ok((await client.listTools()).tools.length > 0);
        await client.close();
      } finally {
        await server.stop();
      }
    }
  });
});
