import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type ElicitRequest, type ElicitResult, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { ApiKeyAuthenticator } from '../../../src/mcp/auth/apiKeyAuthenticator';
import { EmbeddedAuthenticator, LINK_SECRET_HEADER, type EmbeddedSession, type SessionSource } from '../../../src/mcp/auth/embeddedAuthenticator';
import {
  AuditLog,
  areaOf,
  DEFAULT_RULES,
  fixedGovernance,
  parseEnvironmentSelectors,
  parseToolSelectors,
  type AuditSink,
  type Governance,
  type GovernanceRules,
} from '../../../src/mcp/governance';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import type { Logger } from '../../../src/log';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { urlOf } from '../../support/requestUrl';
import { connectClient, emulatorAuthenticator, resultText } from './harness';
import { buildBin, runBin } from './standaloneProcess';

type ElicitHandler = (request: ElicitRequest) => ElicitResult | Promise<ElicitResult>;

/** Log lines and audit JSON lines, kept to check what was written (and that no secret was). */
class Recorded implements Logger, AuditSink {
  lines: string[] = [];
  json: Array<Record<string, unknown>> = [];
  trace(m: string) {
    this.lines.push(m);
  }
  debug(m: string) {
    this.lines.push(m);
  }
  info(m: string) {
    this.lines.push(m);
  }
  warn(m: string) {
    this.lines.push(m);
  }
  error(m: string | Error) {
    this.lines.push(String(m));
  }
  append(line: string) {
    this.json.push(JSON.parse(line) as Record<string, unknown>);
  }
  audit(): string[] {
    return this.lines.filter((line) => line.startsWith('Audit: '));
  }
}

function rules(overrides: { readOnly?: boolean; enabled?: string[]; disabled?: string[]; protectedEnvironments?: string[] } = {}): GovernanceRules {
  return {
    tools: {
      readOnly: overrides.readOnly ?? false,
      enabled: parseToolSelectors(overrides.enabled ?? [], 'enabled'),
      disabled: parseToolSelectors(overrides.disabled ?? [], 'disabled'),
    },
    protectedEnvironments: overrides.protectedEnvironments
      ? parseEnvironmentSelectors(overrides.protectedEnvironments, 'protected')
      : DEFAULT_RULES.protectedEnvironments,
  };
}

/** An SDK client; with `elicit`, it declares the elicitation capability and answers with it. */
async function connect(url: string, elicit?: ElicitHandler): Promise<{ client: Client; questions: ElicitRequest[] }> {
  const questions: ElicitRequest[] = [];
  const client = new Client({ name: 'governance-test', version: '1' }, { capabilities: elicit ? { elicitation: {} } : {} });
  if (elicit) {
    client.setRequestHandler('elicitation/create', async (request) => {
      questions.push(request);
      return elicit(request);
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { client, questions };
}

const WRITE_OR_DELETE = LENSES_TOOLS.filter((tool) => tool.scope !== 'read').map((tool) => tool.name);
const READ_TOOLS = LENSES_TOOLS.filter((tool) => tool.scope === 'read').map((tool) => tool.name);

describe('Governed agent access against the HQ emulator (API-key mode, streamable HTTP)', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer | undefined;
  let recorded: Recorded;
  const clients: Client[] = [];

  async function serve(governanceRules: GovernanceRules, options: { stateless?: boolean; fetch?: typeof fetch } = {}): Promise<string> {
    recorded = new Recorded();
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new ApiKeyAuthenticator(hq.apiKey),
      fetch: options.fetch,
      stateless: options.stateless,
      logger: recorded,
      governance: fixedGovernance(governanceRules, { audit: new AuditLog(recorded, recorded) }),
    });
    return mcp.url;
  }
  async function client(url: string, elicit?: ElicitHandler) {
    const connected = await connect(url, elicit);
    clients.push(connected.client);
    return connected;
  }
  /** The connectors of an environment, read from the emulator directly. */
  async function connectors(environment: string): Promise<string[]> {
    const response = await fetch(`${hq.url}/api/v1/environments/${environment}/proxy/api/kafka-connect/connectors`, {
      headers: { Authorization: `Bearer ${hq.apiKey}` },
    });
    const body = (await response.json()) as { data: Array<{ name: string }> };
    return body.data.map((c) => c.name);
  }
  const deleteProdSink = (c: Client, extra: Record<string, unknown> = {}) =>
    c.callTool({ name: 'delete_kafka_connector', arguments: { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink', ...extra } });

  beforeEach(async () => {
    hq = await startHq({ port: 0 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await mcp?.close();
    mcp = undefined;
    await hq.close();
  });

  describe('read-only mode', () => {
    it('lists only the read tools, whatever the scopes, and says so in the instructions', async () => {
      const { client: c } = await client(await serve(rules({ readOnly: true })));
      const listed = (await c.listTools()).tools.map((tool) => tool.name);
      assert.deepEqual(listed.sort(), [...READ_TOOLS].sort());
      for (const name of WRITE_OR_DELETE) assert.ok(!listed.includes(name), name);
      assert.match(c.getInstructions() ?? '', /Read-only mode is on \(LENSES_READ_ONLY\)/);
    });

    it('refuses a direct call to a delete tool with how to turn it off; nothing changes; the refusal is audited', async () => {
      const { client: c } = await client(await serve(rules({ readOnly: true })));
      const result = await c.callTool({
        name: 'delete_kafka_connector',
        arguments: { environment: 'dev', cluster: 'connect-main', connector: 'orders-s3-sink' },
      });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /read-only mode is on.*turn off LENSES_READ_ONLY and restart the Lenses MCP server/);
      assert.ok((await connectors('dev')).includes('orders-s3-sink'));
      assert.deepEqual(
        recorded.json.map((entry) => [entry.tool, entry.outcome, entry.reason]),
        [['delete_kafka_connector', 'refused', 'read-only']],
      );
    });
  });

  describe('tool filters', () => {
    const cases: Array<[string, Parameters<typeof rules>[0], (names: string[]) => void]> = [
      ['enabled by tool name', { enabled: ['list_topics', 'get_topic'] }, (names) => assert.deepEqual(names.sort(), ['get_topic', 'list_topics'])],
      [
        'enabled by area',
        { enabled: ['connectors'] },
        (names) =>
          assert.deepEqual(
            names.sort(),
            LENSES_TOOLS.filter((t) => /connector/.test(t.name))
              .map((t) => t.name)
              .sort(),
          ),
      ],
      ['enabled by scope', { enabled: ['read'] }, (names) => assert.deepEqual(names.sort(), [...READ_TOOLS].sort())],
      [
        'disabled by tool name',
        { disabled: ['execute_sql'] },
        (names) =>
          assert.deepEqual(
            names.sort(),
            LENSES_TOOLS.map((t) => t.name)
              .filter((n) => n !== 'execute_sql')
              .sort(),
          ),
      ],
      [
        'disabled by area',
        { disabled: ['sql_processors', 'sql'] },
        (names) =>
          assert.deepEqual(
            names.sort(),
            LENSES_TOOLS.filter((t) => !['sql', 'sql_processors'].includes(areaOf(t.name) ?? ''))
              .map((t) => t.name)
              .sort(),
          ),
      ],
      [
        'disabled by scope',
        { disabled: ['delete'] },
        (names) => assert.ok(names.length === 40 && !names.some((n) => n.startsWith('delete_')), names.join(',')),
      ],
      [
        'enabled by area, then one disabled',
        { enabled: ['topics'], disabled: ['write'] },
        (names) =>
          assert.deepEqual(names.sort(), [
            'get_topic',
            'get_topic_broker_configs',
            'get_topic_metadata',
            'get_topic_partitions',
            'list_topic_metadata',
            'list_topics',
          ]),
      ],
    ];
    for (const [label, overrides, check] of cases) {
      it(`${label}: tools/list follows`, async () => {
        const { client: c } = await client(await serve(rules(overrides)));
        check((await c.listTools()).tools.map((tool) => tool.name));
      });
    }

    it('a call to a filtered-out tool says which switch turned it off and what to change', async () => {
      const { client: c } = await client(await serve(rules({ disabled: ['connectors'] })));
      const result = await c.callTool({ name: 'list_kafka_connectors', arguments: { environment: 'dev' } });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /turned off by "connectors" in LENSES_DISABLED_TOOLS.*remove "connectors" from LENSES_DISABLED_TOOLS/);
      await mcp?.close();
      const notEnabled = await (await client(await serve(rules({ enabled: ['topics'] })))).client.callTool({ name: 'list_environments', arguments: {} });
      assert.match(resultText(notEnabled), /not among the enabled tools.*add "list_environments" or "environments" to LENSES_ENABLED_TOOLS/);
    });

    for (const [variable, value] of [
      ['LENSES_ENABLED_TOOLS', 'topics,list_topicz'],
      ['LENSES_DISABLED_TOOLS', 'admin'],
      ['LENSES_PROTECTED_ENVIRONMENTS', 'tier:prod'],
      ['LENSES_READ_ONLY', 'maybe'],
    ] as const) {
      it(`an unknown or bad entry in ${variable} fails start-up with one line naming it`, async () => {
        const { code, stdout, stderr } = await runBin([], { LENSES_API_KEY: 'k', [variable]: value });
        assert.notEqual(code, 0);
        assert.equal(stdout, '');
        const lines = stderr.trim().split('\n');
        assert.equal(lines.length, 1, stderr);
        assert.match(lines[0], new RegExp(`^lenses-mcp: ${variable} .*"${value.split(',').pop()}"`));
      });
    }

    it('--list-tools prints the effective tool set with the reason each other tool is off', async () => {
      const { code, stdout } = await runBin(['--list-tools'], { LENSES_READ_ONLY: 'true', LENSES_DISABLED_TOOLS: 'execute_sql' });
      assert.equal(code, 0);
      assert.match(stdout, /^23 of 45 tools on \(API-key mode\)\. Read-only mode: on\. Protected environments .*: tier:production\./);
      assert.match(stdout, /^on {3}list_topics +read +topics$/m);
      assert.match(stdout, /^off {2}execute_sql +read +sql +turned off by "execute_sql" in LENSES_DISABLED_TOOLS$/m);
      assert.match(stdout, /^off {2}delete_kafka_connector +delete +connectors +read-only mode is on \(LENSES_READ_ONLY\)$/m);
    });
  });

  describe('RS-20 protected environments, confirmed by the user through elicitation', () => {
    it('RS-20 delete on prod (tier production) with the name typed back: the user is asked what will happen, then the connector is gone', async () => {
      const { client: c, questions } = await client(await serve(rules()), () => ({ action: 'accept', content: { confirm_name: 'orders-sink' } }));
      const result = await deleteProdSink(c);
      assert.equal(result.isError, undefined, resultText(result));
      assert.equal(questions.length, 1);
      const params = questions[0].params as { message: string; requestedSchema: { properties: Record<string, { type: string }>; required: string[] } };
      assert.match(
        params.message,
        /^Delete connector orders-sink in prod\? prod is a protected environment \(tier production\).*Type "orders-sink" to confirm/,
      );
      assert.deepEqual(params.requestedSchema.required, ['confirm_name']);
      assert.ok(!(await connectors('prod')).includes('orders-sink'));
      assert.deepEqual(
        recorded.json.map((e) => [e.outcome, e.reason]),
        [['run', 'confirmed']],
      );
    });

    for (const [label, answer, pattern] of [
      ['declines', { action: 'decline' }, /The user declined to confirm delete_kafka_connector\. Do not retry/],
      ['cancels', { action: 'cancel' }, /The user cancelled the confirmation/],
      ['types a wrong name', { action: 'accept', content: { confirm_name: 'orders-sink-2' } }, /did not match "orders-sink"/],
    ] as const) {
      it(`RS-20 the user ${label}: the tool says so, the connector stays, the call is audited as declined`, async () => {
        const { client: c, questions } = await client(await serve(rules()), () => answer);
        const result = await deleteProdSink(c);
        assert.equal(result.isError, true);
        assert.match(resultText(result), /^Delete connector orders-sink in prod: not done, nothing was changed\./);
        assert.match(resultText(result), pattern);
        assert.equal(questions.length, 1);
        assert.ok((await connectors('prod')).includes('orders-sink'));
        assert.equal(recorded.json.length, 1);
        assert.equal(recorded.json[0].outcome, 'declined');
      });
    }

    it('RS-20 a client without the elicitation capability is refused with how to allow it; nothing changes', async () => {
      const { client: c } = await client(await serve(rules()));
      const result = await deleteProdSink(c);
      assert.equal(result.isError, true);
      assert.match(
        resultText(result),
        /this MCP client cannot ask \(it did not declare the "elicitation" capability\).*remove the environment from LENSES_PROTECTED_ENVIRONMENTS/,
      );
      assert.ok((await connectors('prod')).includes('orders-sink'));
      assert.deepEqual(
        recorded.json.map((e) => [e.outcome, e.reason]),
        [['refused', 'no-elicitation']],
      );
    });

    it('RS-20 stateless HTTP cannot ask the user, so a protected write is refused', async () => {
      const { client: c } = await client(await serve(rules(), { stateless: true }), () => ({ action: 'accept', content: { confirm_name: 'orders-sink' } }));
      const result = await deleteProdSink(c);
      assert.equal(result.isError, true);
      assert.match(resultText(result), /cannot ask/);
      assert.ok((await connectors('prod')).includes('orders-sink'));
    });

    it('RS-20 no tool argument skips the question: an extra "confirm" argument is refused before anything runs', async () => {
      const { client: c, questions } = await client(await serve(rules()), () => ({ action: 'accept', content: { confirm_name: 'orders-sink' } }));
      const result = await deleteProdSink(c, { confirm: true, confirm_name: 'orders-sink' });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /unknown arguments "confirm", "confirm_name"/);
      assert.equal(questions.length, 0);
      assert.ok((await connectors('prod')).includes('orders-sink'));
    });

    it('RS-20 a write (not a delete) on prod asks yes or no; false leaves the connector running, true pauses it', async () => {
      let answer = false;
      const { client: c, questions } = await client(await serve(rules()), () => ({ action: 'accept', content: { confirm: answer } }));
      const pause = () =>
        c.callTool({
          name: 'set_action_on_kafka_connector',
          arguments: { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink', action: 'pause' },
        });
      const status = async () => {
        const response = await fetch(`${hq.url}/api/v1/environments/prod/proxy/api/kafka-connect/connectors`, {
          headers: { Authorization: `Bearer ${hq.apiKey}` },
        });
        return ((await response.json()) as { data: Array<{ name: string; state: string }> }).data.find((x) => x.name === 'orders-sink')?.state;
      };
      assert.equal((await pause()).isError, true);
      assert.equal(await status(), 'RUNNING');
      answer = true;
      const result = await pause();
      assert.equal(result.isError, undefined, resultText(result));
      assert.equal(await status(), 'PAUSED');
      assert.equal(questions.length, 2);
      assert.match((questions[0].params as { message: string }).message, /^Pause connector orders-sink on cluster connect-prod in prod\?.*Confirm to run it/);
      assert.deepEqual(
        recorded.json.map((e) => e.outcome),
        ['declined', 'run'],
      );
    });

    it('RS-20 on dev (not protected) no question is asked and the delete runs', async () => {
      const { client: c, questions } = await client(await serve(rules()), () => ({ action: 'decline' }));
      const result = await c.callTool({
        name: 'delete_kafka_connector',
        arguments: { environment: 'dev', cluster: 'connect-main', connector: 'payments-file-sink' },
      });
      assert.equal(result.isError, undefined, resultText(result));
      assert.equal(questions.length, 0);
      assert.ok(!(await connectors('dev')).includes('payments-file-sink'));
    });

    it('RS-20 an environment listed by name is protected whatever its tier; an empty list protects none', async () => {
      const byName = await client(await serve(rules({ protectedEnvironments: ['dev'] })), () => ({ action: 'decline' }));
      await byName.client.callTool({
        name: 'delete_kafka_connector',
        arguments: { environment: 'dev', cluster: 'connect-main', connector: 'payments-file-sink' },
      });
      assert.equal(byName.questions.length, 1);
      assert.ok((await connectors('dev')).includes('payments-file-sink'));
      await mcp?.close();
      const none = await client(await serve(rules({ protectedEnvironments: [] })), () => ({ action: 'decline' }));
      const result = await deleteProdSink(none.client);
      assert.equal(result.isError, undefined, resultText(result));
      assert.equal(none.questions.length, 0);
    });

    it('RS-20 an unknown environment is refused before any question (its tier cannot be read)', async () => {
      const { client: c, questions } = await client(await serve(rules()), () => ({ action: 'accept', content: { confirm_name: 'x' } }));
      const result = await c.callTool({ name: 'delete_kafka_connector', arguments: { environment: 'nowhere', cluster: 'c', connector: 'x' } });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /the tier of environment "nowhere" could not be read from Lenses/);
      assert.equal(questions.length, 0);
    });

    it('asks HQ for the tier once for a burst of writes (cached briefly)', async () => {
      let environmentGets = 0;
      const countingFetch: typeof fetch = (input, init) => {
        if (/\/api\/v1\/environments\/prod$/.test(urlOf(input))) environmentGets += 1;
        return fetch(input, init);
      };
      const { client: c } = await client(await serve(rules(), { fetch: countingFetch }), () => ({ action: 'decline' }));
      for (let i = 0; i < 3; i++) await deleteProdSink(c);
      assert.equal(environmentGets, 1);
    });
  });

  describe('RS-23 execute_sql that writes or deletes is governed as a write or a delete', () => {
    const sql = (c: Client, environment: string, text: string) => c.callTool({ name: 'execute_sql', arguments: { environment, sql: text } });
    /** Statements that change data or topics, or that the server cannot classify, with the scope each needs. */
    const CHANGING: ReadonlyArray<[string, 'write' | 'delete']> = [
      ["INSERT INTO orders (_key, amount) VALUES ('k', 1)", 'write'],
      ['create table fresh (f string) FORMAT (string, json)', 'write'],
      ['delete from orders where _meta.offset <= 100', 'delete'],
      ['TRUNCATE TABLE orders', 'delete'],
      ['DROP TABLE orders', 'delete'],
      ['/* housekeeping */ -- nothing to see here\n DeLeTe FROM orders', 'delete'],
      ['SELECT * FROM orders LIMIT 1; DROP TABLE orders', 'delete'],
      ['VACUUM orders', 'delete'],
    ];

    it('RS-23 read-only mode keeps execute_sql for reads and refuses every statement that writes, deletes or is unknown before HQ; each refusal is audited', async () => {
      const { client: c } = await client(await serve(rules({ readOnly: true })));
      assert.ok((await c.listTools()).tools.some((tool) => tool.name === 'execute_sql'));
      const read = await sql(c, 'dev', 'SELECT * FROM orders LIMIT 2');
      assert.notEqual(read.isError, true, resultText(read));
      for (const [text] of CHANGING) {
        const result = await sql(c, 'dev', text);
        assert.equal(result.isError, true, text);
        // The emulator answers "… statements are not supported" to anything but SELECT: that text would mean it reached HQ.
        assert.match(resultText(result), /^execute_sql was not run: read-only mode is on and this call needs the "(write|delete)" scope/, text);
      }
      assert.deepEqual(
        recorded.json.map((entry) => [entry.tool, entry.scope, entry.environment, entry.outcome, entry.reason]),
        CHANGING.map(([, scope]) => ['execute_sql', scope, 'dev', 'refused', 'read-only']),
      );
      assert.ok(!JSON.stringify(recorded.json).includes('housekeeping'), 'the SQL text is payload: never audited');
    });

    it('RS-23 a disabled "delete" refuses SQL deletes (named after their table in the audit) and leaves SQL reads alone', async () => {
      const { client: c } = await client(await serve(rules({ disabled: ['delete'] })));
      const refused = await sql(c, 'dev', 'select 1 from orders; truncate table `orders`');
      assert.equal(refused.isError, true);
      assert.match(resultText(refused), /needs the "delete" scope .*which "delete" in LENSES_DISABLED_TOOLS turns off/);
      assert.notEqual((await sql(c, 'dev', 'SELECT * FROM orders LIMIT 1')).isError, true);
      assert.deepEqual(
        recorded.json.map((entry) => [entry.tool, entry.scope, entry.resource, entry.outcome, entry.reason]),
        [['execute_sql', 'delete', 'orders', 'refused', 'disabled']],
      );
    });

    it('RS-23 on prod a SQL delete asks first, showing the statement and asking for the table typed back; declined, it never runs', async () => {
      const { client: c, questions } = await client(await serve(rules()), () => ({ action: 'decline' }));
      assert.notEqual((await sql(c, 'prod', 'SELECT * FROM orders LIMIT 1')).isError, true);
      assert.equal(questions.length, 0, 'a read on prod asks nothing');
      const result = await sql(c, 'prod', '-- clean up\nDELETE FROM orders WHERE _meta.offset <= 10');
      assert.equal(result.isError, true);
      assert.match(
        resultText(result),
        /^Run this SQL in prod: DELETE FROM orders WHERE _meta\.offset <= 10: not done, nothing was changed\. The user declined/,
      );
      assert.equal(questions.length, 1);
      const params = questions[0].params as { message: string; requestedSchema: { required: string[] } };
      assert.match(
        params.message,
        /^Run this SQL in prod: DELETE FROM orders WHERE _meta\.offset <= 10\? prod is a protected environment \(tier production\).*Type "orders" to confirm/,
      );
      assert.deepEqual(params.requestedSchema.required, ['confirm_name']);
      assert.deepEqual(
        recorded.json.map((entry) => [entry.tool, entry.scope, entry.environment, entry.resource, entry.outcome, entry.reason]),
        [['execute_sql', 'delete', 'prod', 'orders', 'declined', 'declined']],
      );
    });

    it('RS-23 on prod a confirmed SQL insert reaches HQ and is audited with what HQ answered', async () => {
      const { client: c, questions } = await client(await serve(rules()), () => ({ action: 'accept', content: { confirm: true } }));
      const result = await sql(c, 'prod', "INSERT INTO orders (_key) VALUES ('k')");
      assert.equal(questions.length, 1);
      assert.match(
        (questions[0].params as { message: string }).message,
        /^Run this SQL in prod: INSERT INTO orders \(_key\) VALUES \('k'\)\? .*Confirm to run it/,
      );
      // The emulator runs only SELECT: its refusal shows the statement reached HQ after the confirmation.
      assert.match(resultText(result), /INSERT statements are not supported/);
      assert.deepEqual(
        recorded.json.map((entry) => [entry.scope, entry.outcome, entry.reason]),
        [['write', 'failed', 'confirmed']],
      );
    });
  });

  describe('audit trail', () => {
    it('one line per write or delete call with time, token fingerprint, tool, environment, resource, outcome and duration; reads leave none; no secret', async () => {
      let answer: ElicitResult = { action: 'decline' };
      const { client: c } = await client(await serve(rules({ disabled: ['create_topic'] })), () => answer);
      await c.callTool({ name: 'list_topics', arguments: { environment: 'dev' } }); // read: not audited
      await deleteProdSink(c); // declined
      await c.callTool({ name: 'create_topic', arguments: { environment: 'dev', topic_name: 'x', partitions: 1, replication: 1 } }); // refused
      await c.callTool({ name: 'delete_consumer_group', arguments: { environment: 'dev', group_id: 'billing-service' } }); // failed (active group: 409)
      answer = { action: 'accept', content: { confirm_name: 'orders-sink' } };
      await deleteProdSink(c); // run
      assert.deepEqual(
        recorded.json.map((e) => [e.tool, e.environment, e.resource, e.outcome]),
        [
          ['delete_kafka_connector', 'prod', 'orders-sink', 'declined'],
          ['create_topic', 'dev', 'x', 'refused'],
          ['delete_consumer_group', 'dev', 'billing-service', 'failed'],
          ['delete_kafka_connector', 'prod', 'orders-sink', 'run'],
        ],
      );
      for (const entry of recorded.json) {
        assert.match(String(entry.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.match(String(entry.account), /^token:[0-9a-f]{8}$/);
        assert.equal(typeof entry.durationMs, 'number');
        assert.deepEqual(
          Object.keys(entry).sort(),
          ['account', 'durationMs', 'environment', 'outcome', 'resource', 'scope', 'time', 'tool', ...(entry.reason ? ['reason'] : [])].sort(),
        );
      }
      assert.equal(recorded.audit().length, 4);
      assert.match(recorded.audit()[0], /^Audit: delete_kafka_connector on "prod"\/"orders-sink" by token:[0-9a-f]{8}: declined \(declined\) in \d+ ms$/);
      const everything = JSON.stringify(recorded.json) + recorded.lines.join('\n');
      assert.ok(!everything.includes(hq.apiKey), 'the API key is never written');
      assert.ok(!everything.includes(hq.apiKey.slice(4, 16)), 'not even part of it');
    });

    it('a resource name with a line break cannot forge a second log line', async () => {
      const { client: c } = await client(await serve(rules({ readOnly: true })));
      await c.callTool({ name: 'create_kafka_connector', arguments: { environment: 'dev', name: 'x\nAudit: forged', cluster: 'c', configuration: {} } });
      assert.equal(recorded.audit().length, 1);
      assert.ok(!recorded.audit()[0].includes('\n'));
    });
  });
});

describe('Governance in OAuth resource-server mode', function () {
  this.timeout(30_000);
  const advertisedUrl = 'https://mcp.example.test';
  /** The HTTP server in OAuth resource-server mode, every request introspected. */
  const oauthMcp = (hq: RunningHq, governance: Governance) =>
    startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: emulatorAuthenticator(hq, advertisedUrl),
      advertisedUrl,
      governance,
    });

  it('read-only mode answers a write call from a read-only token with the read-only tool error, not a 403 scope challenge', async () => {
    const hq = await startHq({ port: 0 });
    const mcp = await oauthMcp(hq, fixedGovernance(rules({ readOnly: true })));
    try {
      const token = (await obtainTokens(hq, { scopes: ['read'], resource: `${advertisedUrl}/mcp` })).accessToken;
      const client = await connectClient(mcp.url, token);
      // A 403 insufficient_scope would make callTool throw: the client would try a step-up that cannot help.
      const result = await client.callTool({ name: 'create_topic', arguments: { environment: 'dev', topic_name: 'x', partitions: 1, replication: 1 } });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /read-only mode is on/);
      await client.close();
    } finally {
      await mcp.close();
      await hq.close();
    }
  });

  it('a write or delete call refused by the 403 scope challenge (before any server sees it) still leaves its audit record; a read does not', async () => {
    const hq = await startHq({ port: 0 });
    const recorded = new Recorded();
    const mcp = await oauthMcp(hq, fixedGovernance(rules(), { audit: new AuditLog(recorded, recorded) }));
    try {
      const token = (await obtainTokens(hq, { scopes: ['read'], resource: `${advertisedUrl}/mcp` })).accessToken;
      const call = (name: string, args: Record<string, unknown>) =>
        fetch(mcp.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
        });
      assert.equal((await call('delete_kafka_connector', { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' })).status, 403);
      assert.equal((await call('create_topic', { environment: 'dev', topic_name: 'audited', partitions: 1, replication: 1 })).status, 403);
      assert.deepEqual(
        recorded.json.map((entry) => [entry.tool, entry.environment, entry.resource, entry.outcome, entry.reason]),
        [
          ['delete_kafka_connector', 'prod', 'orders-sink', 'refused', 'scope'],
          ['create_topic', 'dev', 'audited', 'refused', 'scope'],
        ],
      );
      assert.match(String(recorded.json[0].account), /^token:[0-9a-f]{8}$/);
      assert.ok(!JSON.stringify(recorded.json).includes(token), 'the token is never written');
    } finally {
      await mcp.close();
      await hq.close();
    }
  });

  it('RS-23 a read token calling execute_sql with a DELETE gets the 403 insufficient_scope challenge for "delete" (audited); its SELECT passes the gate', async () => {
    const hq = await startHq({ port: 0 });
    const recorded = new Recorded();
    const mcp = await oauthMcp(hq, fixedGovernance(rules(), { audit: new AuditLog(recorded, recorded) }));
    try {
      const token = (await obtainTokens(hq, { scopes: ['read'], resource: `${advertisedUrl}/mcp` })).accessToken;
      const call = (sql: string) =>
        fetch(mcp.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'execute_sql', arguments: { environment: 'dev', sql } } }),
        });
      const refused = await call('SELECT * FROM orders LIMIT 1; /* and then */ DELETE FROM orders WHERE _meta.offset <= 3');
      assert.equal(refused.status, 403);
      assert.match(refused.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
      assert.match(refused.headers.get('www-authenticate') ?? '', /scope="[^"]*delete/);
      // A read passes the scope gate (without a session the transport then answers 400: no challenge, no audit record).
      assert.notEqual((await call('SELECT * FROM orders LIMIT 1')).status, 403);
      assert.deepEqual(
        recorded.json.map((entry) => [entry.tool, entry.scope, entry.resource, entry.outcome, entry.reason]),
        [['execute_sql', 'delete', 'orders', 'refused', 'scope']],
      );
    } finally {
      await mcp.close();
      await hq.close();
    }
  });
});

describe('RS-20 the standalone bin over stdio: confirmation through elicitation, audit trail in LENSES_AUDIT_LOG', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let folder: string;
  before(async () => {
    await buildBin();
    hq = await startHq({ port: 0 });
    folder = mkdtempSync(join(tmpdir(), 'lenses-audit-'));
  });
  after(async () => {
    await hq?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('RS-20 declined then confirmed delete on prod; the JSON lines name both outcomes and never the API key', async () => {
    const auditFile = join(folder, 'audit.jsonl');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [await buildBin()],
      env: { PATH: process.env.PATH ?? '', LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey, LENSES_AUDIT_LOG: auditFile },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const answers: ElicitResult[] = [{ action: 'decline' }, { action: 'accept', content: { confirm_name: 'orders-sink' } }];
    const client = new Client({ name: 'stdio-governance', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler('elicitation/create', async () => answers.shift() ?? { action: 'cancel' });
    await client.connect(transport);
    try {
      const args = { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' };
      assert.equal((await client.callTool({ name: 'delete_kafka_connector', arguments: args })).isError, true);
      assert.equal((await client.callTool({ name: 'delete_kafka_connector', arguments: args })).isError, undefined);
    } finally {
      await client.close();
    }
    const lines = readFileSync(auditFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((line) => [line.tool, line.environment, line.resource, line.outcome]),
      [
        ['delete_kafka_connector', 'prod', 'orders-sink', 'declined'],
        ['delete_kafka_connector', 'prod', 'orders-sink', 'run'],
      ],
    );
    assert.ok(!readFileSync(auditFile, 'utf8').includes(hq.apiKey));
    assert.ok(!stderr.includes(hq.apiKey));
    assert.match(stderr, /Audit: delete_kafka_connector on "prod"\/"orders-sink" by token:[0-9a-f]{8}: run \(confirmed\)/);
  });
});

/** The editor's session source, signed in with `session` for the whole test. */
function editorSignedIn(session: EmbeddedSession): SessionSource {
  return {
    currentSession: async () => session,
    signedOutScopes: () => ['read'],
    sessionLost: () => undefined,
    sessionRejected: () => undefined,
  };
}

describe('RS-25 one HQ per credential: the editor signed in to HQ B while its server was started for HQ A', function () {
  this.timeout(30_000);
  const linkSecret = 'link-secret-0123456789abcdef';

  it("RS-25 every HQ request of a protected delete, the tier lookup included, goes to B with B's credential; A hears nothing", async () => {
    const hqA = await startHq({ port: 0 });
    const hqB = await startHq({ port: 0 });
    const asked: Array<{ origin: string; bearer: string | null }> = [];
    const recordingFetch: typeof fetch = (input, init) => {
      asked.push({ origin: new URL(urlOf(input)).origin, bearer: new Headers(init?.headers).get('authorization') });
      return fetch(input, init);
    };
    const sessions = editorSignedIn({ accessToken: hqB.apiKey, scopes: ['read', 'write', 'delete'], hqUrl: hqB.url });
    const recorded = new Recorded();
    const mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hqA.url,
      authenticator: new EmbeddedAuthenticator(linkSecret, sessions),
      fetch: recordingFetch,
      governance: fixedGovernance(rules(), { audit: new AuditLog(recorded, recorded) }),
    });
    const client = new Client({ name: 'vscode-like', version: '1' }, { capabilities: { elicitation: {} } });
    const questions: string[] = [];
    client.setRequestHandler('elicitation/create', (request) => {
      questions.push((request.params as { message: string }).message);
      return { action: 'accept', content: { confirm_name: 'orders-sink' } };
    });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { [LINK_SECRET_HEADER]: linkSecret } } }));
      const result = await client.callTool({
        name: 'delete_kafka_connector',
        arguments: { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' },
      });
      assert.notEqual(result.isError, true, resultText(result));
      assert.equal(questions.length, 1, "B's prod is production: the user is asked");
      assert.match(questions[0], /prod is a protected environment \(tier production\)/);
      const listed = async (hq: RunningHq) =>
        (
          (await (
            await fetch(`${hq.url}/api/v1/environments/prod/proxy/api/kafka-connect/connectors`, { headers: { Authorization: `Bearer ${hq.apiKey}` } })
          ).json()) as { data: Array<{ name: string }> }
        ).data.map((c) => c.name);
      assert.ok(!(await listed(hqB)).includes('orders-sink'), 'deleted on B');
      assert.ok((await listed(hqA)).includes('orders-sink'), 'untouched on A');
      assert.ok(asked.length >= 2, 'the tier lookup and the delete');
      assert.deepEqual(
        asked.filter((request) => request.origin !== new URL(hqB.url).origin || request.bearer !== `Bearer ${hqB.apiKey}`),
        [],
        "every HQ request goes to B with B's credential",
      );
    } finally {
      await client.close();
      await mcp.close();
      await hqA.close();
      await hqB.close();
    }
  });
});

describe('RS-23 in the editor: a session granted only "read" runs SQL reads, not SQL that changes anything', function () {
  this.timeout(30_000);
  const linkSecret = 'link-secret-0123456789abcdef';

  it('RS-23 execute_sql with a DROP gets the tool error naming the "delete" scope; nothing reaches HQ; the refusal is audited', async () => {
    const hq = await startHq({ port: 0 });
    const sessions = editorSignedIn({ accessToken: hq.apiKey, scopes: ['read'], hqUrl: hq.url });
    const recorded = new Recorded();
    const mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new EmbeddedAuthenticator(linkSecret, sessions),
      governance: fixedGovernance(rules(), { audit: new AuditLog(recorded, recorded) }),
    });
    const client = new Client({ name: 'vscode-like', version: '1' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { [LINK_SECRET_HEADER]: linkSecret } } }));
      const sql = (text: string) => client.callTool({ name: 'execute_sql', arguments: { environment: 'dev', sql: text } });
      const refused = await sql('drop table orders');
      assert.equal(refused.isError, true);
      // The emulator would answer "DROP statements are not supported": this text is the server's own refusal.
      assert.match(resultText(refused), /^execute_sql needs the Lenses "delete" scope for what this SQL does \(.*\), which this session was not granted/);
      assert.notEqual((await sql('SELECT * FROM orders LIMIT 1')).isError, true);
      assert.deepEqual(
        recorded.json.map((entry) => [entry.tool, entry.scope, entry.resource, entry.outcome, entry.reason]),
        [['execute_sql', 'delete', 'orders', 'refused', 'scope']],
      );
    } finally {
      await client.close();
      await mcp.close();
      await hq.close();
    }
  });
});
