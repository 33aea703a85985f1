import assert from 'node:assert/strict';
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  Client,
  PROTOCOL_VERSION_META_KEY,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { ApiKeyAuthenticator } from '../../../src/mcp/auth/apiKeyAuthenticator';
import { AuditLog, ConfirmationStates, fixedGovernance, type AuditEntry } from '../../../src/mcp/governance';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { MODERN_PROTOCOL_VERSION } from '../../../src/mcp/server';
import { startHq, type RunningHq } from '../../../hq-emulator/testing';
import { generationClient, INITIALIZE, postRaw, resultJson, resultText, startOAuthMcp, type OAuthMcp } from './harness';
import { bundledBinAndHq, connectStdioBin } from './standaloneProcess';

function httpTransport(url: string, token: string): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
}

/** A hand-written 2026-07-28 request: the `_meta` envelope and the headers mirroring it, no session. */
function modernPost(
  url: string,
  token: string | undefined,
  method: string,
  params: Record<string, unknown> = {},
  capabilities: Record<string, unknown> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': MODERN_PROTOCOL_VERSION,
      'Mcp-Method': method,
      ...(typeof params.name === 'string' ? { 'Mcp-Name': params.name } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          [PROTOCOL_VERSION_META_KEY]: MODERN_PROTOCOL_VERSION,
          [CLIENT_INFO_META_KEY]: { name: 'raw', version: '1' },
          [CLIENT_CAPABILITIES_META_KEY]: capabilities,
        },
      },
    }),
  });
}

describe('both protocol generations on one /mcp endpoint (SDK v2 client)', function () {
  this.timeout(30_000);
  let env: OAuthMcp;

  before(async () => {
    env = await startOAuthMcp();
  });
  after(() => env?.close());

  it('a 2026-07-28 client lists the tools of its token and calls one, without initialize or a session', async () => {
    const client = generationClient('modern');
    await client.connect(httpTransport(env.mcp.url, await env.token(['read'])));
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN_PROTOCOL_VERSION);
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      assert.ok(names.includes('list_topics'));
      assert.ok(!names.includes('create_topic'), 'a read token must not see write tools');
      const environments = resultJson(await client.callTool({ name: 'list_environments', arguments: {} })) as Array<{ name: string }>;
      assert.ok(environments.some((environment) => environment.name === 'dev'));
    } finally {
      await client.close();
    }
  });

  it('a 2025 client on the same endpoint still gets a session (so it can receive tools/list_changed)', async () => {
    const client = generationClient('legacy');
    const transport = httpTransport(env.mcp.url, await env.token(['read', 'write']));
    await client.connect(transport);
    try {
      assert.match(client.getNegotiatedProtocolVersion() ?? '', /^2025-/);
      assert.ok(transport.sessionId, 'the 2025 handshake opens a session');
      assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'create_topic'));
    } finally {
      await client.close();
    }
  });

  it('answers a 2026-07-28 request with no session id, and without a bearer with the same 401 challenge as 2025', async () => {
    const answered = await modernPost(env.mcp.url, await env.token(['read']), 'tools/list');
    assert.equal(answered.status, 200);
    assert.equal(answered.headers.get('mcp-session-id'), null);
    const refused = await modernPost(env.mcp.url, undefined, 'tools/list');
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /^Bearer .*resource_metadata=/);
  });

  it('RS-10 refuses a 2026-07-28 write call with a read-only token by the insufficient_scope challenge, before any tool runs', async () => {
    const refused = await modernPost(env.mcp.url, await env.token(['read']), 'tools/call', {
      name: 'create_topic',
      arguments: { environment: 'dev', name: 'never-created', partitions: 1, replication: 1 },
    });
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    assert.match(refused.headers.get('www-authenticate') ?? '', /scope="[^"]*write/);
  });
});

describe('both protocol generations on stdio (the bundled bin, SDK v2 client)', function () {
  this.timeout(30_000);
  const hq = bundledBinAndHq();

  for (const generation of ['modern', 'legacy'] as const) {
    it(`serves a ${generation === 'modern' ? '2026-07-28' : '2025'} client that opens with ${generation === 'modern' ? 'server/discover' : 'initialize'}`, async () => {
      const client = await connectStdioBin({ LENSES_URL: hq().url, LENSES_API_KEY: hq().apiKey }, generationClient(generation));
      try {
        if (generation === 'modern') assert.equal(client.getNegotiatedProtocolVersion(), MODERN_PROTOCOL_VERSION);
        else assert.match(client.getNegotiatedProtocolVersion() ?? '', /^2025-/);
        assert.equal((await client.listTools()).tools.length, 45);
        const environments = resultJson(await client.callTool({ name: 'list_environments', arguments: {} })) as Array<{ name: string }>;
        assert.ok(environments.some((environment) => environment.name === 'dev'));
      } finally {
        await client.close();
      }
    });
  }
  it('RS-24 a 2026-07-28 client on stdio confirms a delete on prod through input_required and its signed state', async () => {
    const client = new Client(
      { name: 'stdio-confirm', version: '1' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } },
    );
    let asked = 0;
    client.setRequestHandler('elicitation/create', () => {
      asked += 1;
      return { action: 'accept', content: { confirm_name: 'orders-sink' } };
    });
    await connectStdioBin({ LENSES_URL: hq().url, LENSES_API_KEY: hq().apiKey }, client);
    try {
      const result = await client.callTool({
        name: 'delete_kafka_connector',
        arguments: { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' },
      });
      assert.notEqual(result.isError, true, resultText(result));
      assert.equal(asked, 1);
    } finally {
      await client.close();
    }
  });
});

describe('protected-environment confirmation for a 2026-07-28 client (input_required instead of elicitation/create)', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer;
  let audit: AuditEntry[];
  /** How far the confirmation states' clock runs ahead of the real one (to expire a state). */
  let clockSkewMs = 0;
  const clients: Client[] = [];

  beforeEach(async () => {
    hq = await startHq({ port: 0 });
    audit = [];
    clockSkewMs = 0;
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new ApiKeyAuthenticator(hq.apiKey),
      governance: fixedGovernance(undefined, {
        audit: new AuditLog(undefined, { append: (line) => audit.push(JSON.parse(line) as AuditEntry) }),
        confirmations: new ConfirmationStates({ now: () => Date.now() + clockSkewMs }),
      }),
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await mcp.close();
    await hq.close();
  });

  /** A 2026-07-28 client; with `answer`, it declares form elicitation and answers every question with it. */
  async function modernClient(answer?: { action: 'accept' | 'decline'; content?: Record<string, string> }): Promise<{ client: Client; questions: string[] }> {
    const questions: string[] = [];
    const client = new Client(
      { name: 'confirm-test', version: '1' },
      { capabilities: answer ? { elicitation: { form: {} } } : {}, versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } },
    );
    if (answer) {
      client.setRequestHandler('elicitation/create', (request) => {
        questions.push(request.params.message);
        return answer;
      });
    }
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url)));
    clients.push(client);
    return { client, questions };
  }
  async function connectors(environment: string): Promise<string[]> {
    const response = await fetch(`${hq.url}/api/v1/environments/${environment}/proxy/api/kafka-connect/connectors`, {
      headers: { Authorization: `Bearer ${hq.apiKey}` },
    });
    return ((await response.json()) as { data: Array<{ name: string }> }).data.map((connector) => connector.name);
  }
  const deleteProdSink = (client: Client) =>
    client.callTool({ name: 'delete_kafka_connector', arguments: { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' } });

  it('RS-20 delete on prod with the name typed back: asked once through input_required, then the connector is gone', async () => {
    const { client, questions } = await modernClient({ action: 'accept', content: { confirm_name: 'orders-sink' } });
    const result = await deleteProdSink(client);
    assert.notEqual(result.isError, true, resultText(result));
    assert.equal(questions.length, 1);
    assert.match(questions[0], /^Delete connector orders-sink in prod\? prod is a protected environment \(tier production\).*Type "orders-sink" to confirm/);
    assert.ok(!(await connectors('prod')).includes('orders-sink'));
    // Two requests, two records: the one answered with the question, and the retry that ran.
    assert.deepEqual(
      audit.map((entry) => [entry.tool, entry.environment, entry.resource, entry.outcome, entry.reason]),
      [
        ['delete_kafka_connector', 'prod', 'orders-sink', 'asked', 'input-required'],
        ['delete_kafka_connector', 'prod', 'orders-sink', 'run', 'confirmed'],
      ],
    );
  });

  it('RS-20 a 2026-07-28 client that never retries after input_required: nothing changes, and the audit trail still shows the attempt', async () => {
    const response = await modernPost(
      mcp.url,
      undefined,
      'tools/call',
      { name: 'delete_kafka_connector', arguments: { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' } },
      { elicitation: { form: {} } },
    );
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { result?: { resultType?: string; inputRequests?: Record<string, unknown> } };
    assert.equal(answer.result?.resultType, 'input_required', JSON.stringify(answer));
    assert.ok(answer.result?.inputRequests?.lenses_confirmation, 'the confirmation is what is asked');
    assert.ok((await connectors('prod')).includes('orders-sink'));
    assert.equal(audit.length, 1);
    assert.equal(audit[0].outcome, 'asked');
    assert.equal(audit[0].reason, 'input-required');
    assert.equal(audit[0].resource, 'orders-sink');
    assert.match(audit[0].account, /^token:[0-9a-f]{8}$/);
  });

  it('RS-20 declined through input_required: a tool error saying nothing changed, and the connector stays', async () => {
    const { client } = await modernClient({ action: 'decline' });
    const result = await deleteProdSink(client);
    assert.equal(result.isError, true);
    assert.match(resultText(result), /^Delete connector orders-sink in prod: not done, nothing was changed\. The user declined/);
    assert.ok((await connectors('prod')).includes('orders-sink'));
    assert.deepEqual(
      audit.map((entry) => [entry.outcome, entry.reason]),
      [
        ['asked', 'input-required'],
        ['declined', 'declined'],
      ],
    );
  });

  it('RS-20 a 2026-07-28 client without the elicitation capability is refused with how to allow it; nothing changes', async () => {
    const { client } = await modernClient();
    const result = await deleteProdSink(client);
    assert.equal(result.isError, true);
    assert.match(resultText(result), /this MCP client cannot ask \(it did not declare the "elicitation" capability\)/);
    assert.ok((await connectors('prod')).includes('orders-sink'));
  });
  const DELETE_ARGUMENTS = { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' };
  const NAME_TYPED_BACK = { action: 'accept', content: { confirm_name: 'orders-sink' } };
  type ModernAnswer = { result?: { resultType?: string; requestState?: string; isError?: boolean; content?: Array<{ text?: string }> } };
  /** A 2026-07-28 delete call on prod from a client declaring form elicitation, with whatever retry fields are given. */
  async function modernDelete(retry: { inputResponses?: Record<string, unknown>; requestState?: string } = {}, args = DELETE_ARGUMENTS): Promise<ModernAnswer> {
    const response = await modernPost(
      mcp.url,
      undefined,
      'tools/call',
      { name: 'delete_kafka_connector', arguments: args, ...retry },
      { elicitation: { form: {} } },
    );
    assert.equal(response.status, 200);
    return (await response.json()) as ModernAnswer;
  }
  const outcomes = () => audit.map((entry) => [entry.outcome, entry.reason]);

  it('RS-24 a 2025 session that declared no elicitation cannot confirm by adding the 2026-07-28 envelope and an answer: refused, nothing changes', async () => {
    const initialized = await postRaw(mcp.url, INITIALIZE);
    const session = initialized.headers.get('mcp-session-id');
    assert.ok(session, 'a 2025 session');
    await initialized.text();
    const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' };
    await (await postRaw(mcp.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).text();
    const answer = await postRaw(
      mcp.url,
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: {
          name: 'delete_kafka_connector',
          arguments: DELETE_ARGUMENTS,
          inputResponses: { lenses_confirmation: NAME_TYPED_BACK },
          // The envelope's capabilities (the protocol version is left out: the transport checks it against the session's).
          _meta: { [CLIENT_CAPABILITIES_META_KEY]: { elicitation: { form: {} } } },
        },
      },
      headers,
    );
    const text = await answer.text();
    assert.match(text, /this MCP client cannot ask \(it did not declare the \\"elicitation\\" capability\)/);
    assert.ok((await connectors('prod')).includes('orders-sink'));
    assert.deepEqual(outcomes(), [['refused', 'no-elicitation']]);
  });

  it('RS-24 a 2026-07-28 first call carrying its own answer, or a tampered state, is asked again and audited as forged; nothing changes', async () => {
    const unasked = await modernDelete({ inputResponses: { lenses_confirmation: NAME_TYPED_BACK } });
    assert.equal(unasked.result?.resultType, 'input_required', JSON.stringify(unasked));
    const state = unasked.result?.requestState ?? '';
    const [version, body, mac] = state.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const stretched = `${version}.${Buffer.from(JSON.stringify({ ...payload, e: Number(payload.e) + 86_400_000 })).toString('base64url')}.${mac}`;
    const tampered = await modernDelete({ inputResponses: { lenses_confirmation: NAME_TYPED_BACK }, requestState: stretched });
    assert.equal(tampered.result?.resultType, 'input_required');
    assert.ok((await connectors('prod')).includes('orders-sink'));
    assert.deepEqual(outcomes(), [
      ['refused', 'forged'],
      ['refused', 'forged'],
    ]);
  });

  it('RS-24 a state answers its own question once: used again, or for other arguments, it is "replayed"; nothing changes', async () => {
    const asked = await modernDelete();
    const requestState = asked.result?.requestState;
    assert.ok(requestState, 'the question carries a signed state');
    const declined = await modernDelete({ inputResponses: { lenses_confirmation: { action: 'decline' } }, requestState });
    assert.equal(declined.result?.isError, true);
    const replayed = await modernDelete({ inputResponses: { lenses_confirmation: NAME_TYPED_BACK }, requestState });
    assert.equal(replayed.result?.resultType, 'input_required');
    const other = (await modernDelete({}, { ...DELETE_ARGUMENTS, connector: 'orders-sink-2' })).result?.requestState;
    const moved = await modernDelete({ inputResponses: { lenses_confirmation: NAME_TYPED_BACK }, requestState: other });
    assert.equal(moved.result?.resultType, 'input_required');
    assert.ok((await connectors('prod')).includes('orders-sink'));
    assert.deepEqual(outcomes(), [
      ['asked', 'input-required'],
      ['declined', 'declined'],
      ['refused', 'replayed'],
      ['asked', 'input-required'],
      ['refused', 'replayed'],
    ]);
  });

  it('RS-24 an answer after the state expired (10 minutes) is asked again and audited as expired; nothing changes', async () => {
    const requestState = (await modernDelete()).result?.requestState;
    clockSkewMs = 10 * 60_000;
    const late = await modernDelete({ inputResponses: { lenses_confirmation: NAME_TYPED_BACK }, requestState });
    assert.equal(late.result?.resultType, 'input_required');
    assert.ok((await connectors('prod')).includes('orders-sink'));
    assert.deepEqual(outcomes(), [
      ['asked', 'input-required'],
      ['refused', 'expired'],
    ]);
  });
});
