import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../../src/mcp/standalone/config';
import { confirmationRequest, confirmationVerdict } from '../../../src/mcp/governance/confirmation';
import { describeAction } from '../../../src/mcp/governance/toolActions';
import { EnvironmentTierCache, needsTier, protectionReason, parseEnvironmentSelectors } from '../../../src/mcp/governance/protectedEnvironments';
import {
  AuditLog,
  callScope,
  classifySql,
  CONFIRMATION_STATE_TTL_MS,
  ConfirmationStates,
  MIN_CONFIRMATION_KEY_CHARS,
  parseToolSelectors,
  policyRefusal,
} from '../../../src/mcp/governance';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { RecordingLogger } from '../../support/recordingLogger';

const toolNamed = (name: string) => {
  const tool = LENSES_TOOLS.find((t) => t.name === name);
  assert.ok(tool, name);
  return tool;
};

describe('governance variables (readConfig)', () => {
  it('defaults: read-only off, no filters, tier:production protected, no audit file', () => {
    const config = readConfig({ LENSES_API_KEY: 'k' });
    assert.deepEqual(config.governance, {
      tools: { readOnly: false, enabled: [], disabled: [] },
      protectedEnvironments: [{ kind: 'tier', tier: 'production' }],
    });
    assert.equal(config.auditLogPath, undefined);
  });

  it('reads every form: names, areas, scopes, names and tiers; "" protects none', () => {
    const config = readConfig({
      LENSES_API_KEY: 'k',
      LENSES_READ_ONLY: 'yes',
      LENSES_ENABLED_TOOLS: 'topics, read ,list_environments',
      LENSES_DISABLED_TOOLS: 'delete',
      LENSES_PROTECTED_ENVIRONMENTS: 'prod-eu,tier:Staging',
      LENSES_AUDIT_LOG: '/var/log/lenses-mcp/audit.jsonl',
    });
    assert.equal(config.governance.tools.readOnly, true);
    assert.deepEqual(config.governance.tools.enabled, [
      { kind: 'area', area: 'topics' },
      { kind: 'scope', scope: 'read' },
      { kind: 'tool', name: 'list_environments' },
    ]);
    assert.deepEqual(config.governance.tools.disabled, [{ kind: 'scope', scope: 'delete' }]);
    assert.deepEqual(config.governance.protectedEnvironments, [
      { kind: 'name', name: 'prod-eu' },
      { kind: 'tier', tier: 'staging' },
    ]);
    assert.equal(config.auditLogPath, '/var/log/lenses-mcp/audit.jsonl');
    assert.deepEqual(readConfig({ LENSES_API_KEY: 'k', LENSES_PROTECTED_ENVIRONMENTS: '' }).governance.protectedEnvironments, []);
  });

  it('an unknown tool, area or tier is a ConfigError naming the variable and the entry', () => {
    assert.throws(
      () => readConfig({ LENSES_API_KEY: 'k', LENSES_DISABLED_TOOLS: 'connectors,kafka' }),
      (e: unknown) => e instanceof ConfigError && /^LENSES_DISABLED_TOOLS names unknown entry "kafka"/.test(e.message),
    );
    assert.throws(
      () => readConfig({ LENSES_API_KEY: 'k', LENSES_PROTECTED_ENVIRONMENTS: 'tier:gold' }),
      (e: unknown) => e instanceof ConfigError && /^LENSES_PROTECTED_ENVIRONMENTS has invalid entry "tier:gold"/.test(e.message),
    );
  });
});

describe('what a write or delete call would do, in words', () => {
  it('names the action, the resource and the environment for every write and delete tool', () => {
    for (const tool of LENSES_TOOLS.filter((t) => t.scope !== 'read')) {
      const action = describeAction(tool, {
        environment: 'prod',
        name: 'n',
        topic_name: 't',
        connector: 'c',
        cluster: 'k',
        group_id: 'g',
        sql_processor_id: 'p',
        action: 'stop',
        tier: 'production',
      });
      assert.ok(action.sentence.length > 10 && !/undefined/.test(action.sentence), `${tool.name}: ${action.sentence}`);
      assert.ok(action.environment, tool.name);
    }
    assert.deepEqual(describeAction(toolNamed('delete_kafka_connector'), { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' }), {
      environment: 'prod',
      resource: 'orders-sink',
      sentence: 'Delete connector orders-sink in prod',
    });
    assert.equal(describeAction(toolNamed('create_environment'), { name: 'prod-2', tier: 'production' }).statedTier, 'production');
  });
});

describe('RS-20 the confirmation question and its answers', () => {
  const action = { environment: 'prod', resource: 'orders-sink', sentence: 'Delete connector orders-sink in prod' };

  it('RS-20 a delete asks for the name typed back; only the exact name confirms', () => {
    const request = confirmationRequest(action, 'delete', 'prod is a protected environment (tier production)');
    assert.match(request.message, /^Delete connector orders-sink in prod\? prod is a protected environment/);
    assert.deepEqual(request.requestedSchema.required, ['confirm_name']);
    assert.equal(confirmationVerdict({ action: 'accept', content: { confirm_name: 'orders-sink' } }, action, 'delete'), 'confirmed');
    assert.equal(confirmationVerdict({ action: 'accept', content: { confirm_name: ' orders-sink ' } }, action, 'delete'), 'confirmed');
    assert.equal(confirmationVerdict({ action: 'accept', content: { confirm_name: 'Orders-Sink' } }, action, 'delete'), 'name-mismatch');
    assert.equal(confirmationVerdict({ action: 'accept', content: {} }, action, 'delete'), 'name-mismatch');
    assert.equal(confirmationVerdict({ action: 'accept', content: { confirm: true } }, action, 'delete'), 'name-mismatch');
    assert.equal(confirmationVerdict({ action: 'decline' }, action, 'delete'), 'declined');
    assert.equal(confirmationVerdict({ action: 'cancel' }, action, 'delete'), 'cancelled');
  });

  it('RS-20 a write asks yes or no; only true confirms', () => {
    const request = confirmationRequest(action, 'write', 'prod is protected');
    assert.deepEqual(request.requestedSchema.required, ['confirm']);
    assert.equal(confirmationVerdict({ action: 'accept', content: { confirm: true } }, action, 'write'), 'confirmed');
    assert.equal(confirmationVerdict({ action: 'accept', content: { confirm: false } }, action, 'write'), 'not-confirmed');
    assert.equal(confirmationVerdict({ action: 'accept', content: { confirm: 'true' } }, action, 'write'), 'not-confirmed');
  });

  it('RS-20 an environment is protected by name or by tier; an unknown tier alone protects nothing', () => {
    const selectors = parseEnvironmentSelectors(['payments', 'tier:production'], 'test');
    assert.match(protectionReason('payments', 'development', selectors) ?? '', /payments is a protected environment/);
    assert.match(protectionReason('prod', 'PRODUCTION', selectors) ?? '', /tier PRODUCTION/);
    assert.equal(protectionReason('dev', 'development', selectors), undefined);
  });
});

const HQ = 'http://hq-a.test';

describe('environment tier cache', () => {
  it('asks once per environment while fresh, shares a lookup in flight, asks again after the TTL, and never caches a failure', async () => {
    let now = 0;
    let asked = 0;
    const cache = new EnvironmentTierCache({ ttlMs: 1000, now: () => now });
    const lookup = async () => {
      asked += 1;
      return { name: 'prod', tier: 'production' };
    };
    assert.deepEqual(await Promise.all([cache.tierOf(HQ, 'prod', lookup), cache.tierOf(HQ, 'prod', lookup)]), ['production', 'production']);
    assert.equal(asked, 1);
    now = 999;
    await cache.tierOf(HQ, 'prod', lookup);
    assert.equal(asked, 1);
    now = 1000;
    await cache.tierOf(HQ, 'prod', lookup);
    assert.equal(asked, 2);
    await assert.rejects(
      cache.tierOf(HQ, 'gone', async () => Promise.reject(new Error('404'))),
      /404/,
    );
    assert.equal(await cache.tierOf(HQ, 'gone', async () => ({ tier: 'staging' })), 'staging');
  });
});

describe('audit log lines', () => {
  it('one line per record, names quoted as JSON strings (control characters escaped) and long names cut', () => {
    const logger = new RecordingLogger();
    const json: string[] = [];
    new AuditLog(logger, { append: (line) => json.push(line) }).record({
      time: '2026-12-01T09:00:00.000Z',
      account: 'token:0badc0de',
      tool: 'delete_consumer_group',
      scope: 'delete',
      environment: 'prod',
      resource: `g\r\nAudit: forged${'x'.repeat(300)}`,
      outcome: 'refused',
      reason: 'read-only',
      durationMs: 3,
    });
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0], /^Audit: delete_consumer_group on "prod"\/"g\\r\\nAudit: forgedx+…" by token:0badc0de: refused \(read-only\) in 3 ms$/);
    const entry = JSON.parse(json[0]) as { resource: string };
    assert.equal(entry.resource.length, 201);
  });
});

describe('RS-23 SQL classified by what its statements do', () => {
  const cases: Array<[string, 'read' | 'write' | 'delete']> = [
    ['SELECT * FROM orders LIMIT 10', 'read'],
    ['show tables', 'read'],
    ['DESCRIBE TABLE orders', 'read'],
    ['EXPLAIN SELECT * FROM orders', 'read'],
    ["SET max.size = '1m'; SELECT * FROM orders", 'read'],
    ['set MAX.QUERY.TIME = 30s;\nselect a from orders;', 'read'],
    ["SELECT * FROM orders WHERE note = 'x; DELETE FROM orders'", 'read'],
    ['SELECT * FROM `DELETE`', 'read'],
    ['-- DELETE FROM orders\nSELECT 1', 'read'],
    ['SELECT 1 -- a note\r; DELETE FROM orders', 'delete'],
    ['/* DROP TABLE orders; */ SELECT * FROM orders', 'read'],
    ['/* just reading */ SELECT * FROM orders', 'read'],
    ["INSERT INTO orders (_key, amount) VALUES ('k', 1)", 'write'],
    ['create table t (f string) format (string, json)', 'write'],
    ['DELETE FROM orders WHERE _meta.offset <= 10', 'delete'],
    ['delete from orders', 'delete'],
    ['TRUNCATE TABLE orders', 'delete'],
    ['DROP TABLE orders', 'delete'],
    ['SELECT * FROM orders; DELETE FROM orders WHERE _key = "k"', 'delete'],
    ['/* a comment */ dElEtE FROM orders', 'delete'],
    ['-- just reading\n  TrUnCaTe TABLE orders', 'delete'],
    ["SELECT 1; INSERT INTO orders VALUES ('a')", 'write'],
    ['EXPLAIN DELETE FROM orders', 'delete'],
    ['SET defaults.topic.autocreate = true', 'delete'],
    ['ALTER TABLE orders ADD x', 'delete'],
    ['(SELECT 1)', 'delete'],
    ["SELECT 'unterminated", 'delete'],
    // Open only where block comments exist: there the comment runs to the end, elsewhere `/ *` is an error.
    ['SELECT 1 /* unterminated', 'read'],
    // With backslash escapes the quote runs on and hides the DELETE; without, it does not: the stronger reading wins.
    ["SELECT 'a\\'; DELETE FROM orders; SELECT '", 'delete'],
    ['SELECT a--x\n; DROP TABLE orders', 'delete'],
    // A server without block comments would run the DELETE inside this one.
    ['SELECT 1 /* ; DELETE FROM orders; */', 'delete'],
    // Read without backslash escapes, one SELECT; with them, the string ends early and a DELETE follows.
    ["SELECT 'a\\''; DELETE FROM orders; --'", 'delete'],
    // Closed in one reading: a query, not an unknown text.
    ["SELECT * FROM orders WHERE note = 'it\\'s'", 'read'],
  ];
  for (const [sql, scope] of cases) {
    it(`RS-23 ${JSON.stringify(sql)} needs ${scope}`, () => {
      assert.equal(classifySql(sql).scope, scope);
      assert.equal(callScope(toolNamed('execute_sql'), { environment: 'dev', sql }), scope);
    });
  }

  it('RS-23 the confirmation of a SQL delete shows the statements without comments and asks for the table typed back', () => {
    const action = describeAction(toolNamed('execute_sql'), {
      environment: 'prod',
      sql: 'SELECT 1; /* tidy up */ DELETE FROM `orders` WHERE _meta.offset <= 5',
    });
    assert.equal(action.sentence, 'Run this SQL in prod: SELECT 1; DELETE FROM `orders` WHERE _meta.offset <= 5');
    assert.equal(action.resource, 'orders');
    const question = confirmationRequest(action, 'delete', 'prod is a protected environment');
    assert.match(question.message, /DELETE FROM `orders`.*Type "orders" to confirm/);
  });

  it('RS-23 other tools keep their own scope; a SQL text that is not a string keeps read (the tool refuses it)', () => {
    assert.equal(callScope(toolNamed('list_topics'), { sql: 'DROP TABLE x' }), 'read');
    assert.equal(callScope(toolNamed('execute_sql'), { environment: 'dev', sql: 42 }), 'read');
    assert.match(toolNamed('execute_sql').description, /INSERT and CREATE need "write"; DELETE, TRUNCATE, DROP and any other statement need "delete"/);
  });

  it('RS-23 read-only mode and a disabled "delete" refuse a SQL delete but not a SQL read', () => {
    const sql = toolNamed('execute_sql');
    const readOnly = { readOnly: true, enabled: [], disabled: [] };
    assert.deepEqual(policyRefusal(sql, readOnly, 'delete'), { kind: 'read-only' });
    assert.equal(policyRefusal(sql, readOnly, 'read'), undefined);
    const noDeletes = { readOnly: false, enabled: [], disabled: parseToolSelectors(['delete'], 'test') };
    assert.deepEqual(policyRefusal(sql, noDeletes, 'delete'), { kind: 'disabled', by: 'delete' });
    assert.equal(policyRefusal(sql, noDeletes, 'write'), undefined);
    const readsOnly = { readOnly: false, enabled: parseToolSelectors(['read'], 'test'), disabled: [] };
    assert.deepEqual(policyRefusal(sql, readsOnly, 'write'), { kind: 'not-enabled' });
  });
});

describe('RS-24 confirmation states the server signs', () => {
  const call = { tool: 'delete_kafka_connector', arguments: { environment: 'prod', cluster: 'connect-prod', connector: 'orders-sink' }, token: 'token-a' };

  it('RS-24 a state confirms its own call once; another call, argument set or credential is "replayed"', () => {
    const states = new ConfirmationStates();
    const state = states.issue(call);
    assert.equal(states.take(state, { ...call, tool: 'delete_consumer_group' }), 'replayed');
    assert.equal(states.take(state, { ...call, arguments: { ...call.arguments, connector: 'other' } }), 'replayed');
    assert.equal(states.take(state, { ...call, token: 'token-b' }), 'replayed');
    // Key order does not matter: the digest is of canonical JSON.
    assert.equal(states.take(state, { ...call, arguments: { connector: 'orders-sink', cluster: 'connect-prod', environment: 'prod' } }), undefined);
    assert.equal(states.take(state, call), 'replayed');
  });

  it('RS-24 no state, a tampered one or one signed with another key is "forged"', () => {
    const states = new ConfirmationStates();
    assert.equal(states.take(undefined, call), 'forged');
    assert.equal(states.take('v1.e30.AAAA', call), 'forged');
    const [version, body, mac] = states.issue(call).split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const longer = Buffer.from(JSON.stringify({ ...payload, e: Number(payload.e) + 3_600_000 })).toString('base64url');
    assert.equal(states.take(`${version}.${longer}.${mac}`, call), 'forged');
    assert.equal(states.take(new ConfirmationStates().issue(call), call), 'forged');
  });

  it('RS-24 a state answered after 10 minutes is "expired"', () => {
    let now = 1_000_000;
    const states = new ConfirmationStates({ now: () => now });
    const state = states.issue(call);
    now += CONFIRMATION_STATE_TTL_MS;
    assert.equal(states.take(state, call), 'expired');
    assert.equal(CONFIRMATION_STATE_TTL_MS, 600_000);
  });

  it("RS-24 replicas sharing LENSES_CONFIRMATION_KEY accept each other's states; a short key is refused without being echoed", () => {
    const key = 'k'.repeat(MIN_CONFIRMATION_KEY_CHARS);
    assert.equal(new ConfirmationStates({ key }).take(new ConfirmationStates({ key }).issue(call), call), undefined);
    assert.throws(() => new ConfirmationStates({ key: 'short' }), /at least 32 characters/);
    assert.throws(
      () => readConfig({ LENSES_URL: 'http://localhost:9991', LENSES_API_KEY: 'k', LENSES_CONFIRMATION_KEY: 'too-short-secret' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /LENSES_CONFIRMATION_KEY must have at least 32 characters \(it has 16\)/.test(error.message) &&
        !error.message.includes('too-short-secret'),
    );
    assert.equal(readConfig({ LENSES_URL: 'http://localhost:9991', LENSES_API_KEY: 'k', LENSES_CONFIRMATION_KEY: key }).confirmationKey, key);
  });
});

describe('RS-25 one HQ per credential in the governance caches', () => {
  it('RS-25 the tier cache keeps each HQ\'s answer for its own "prod"', async () => {
    const cache = new EnvironmentTierCache();
    assert.equal(await cache.tierOf('http://hq-a.test', 'prod', async () => ({ tier: 'development' })), 'development');
    assert.equal(await cache.tierOf('http://hq-b.test/', 'prod', async () => ({ tier: 'production' })), 'production');
    assert.equal(await cache.tierOf('http://hq-a.test/api', 'prod', async () => assert.fail('cached for hq-a')), 'development');
  });

  it('RS-25 protected environment names compare case-insensitively', () => {
    const selectors = parseEnvironmentSelectors(['Payments'], 'test');
    assert.match(protectionReason('payments', undefined, selectors) ?? '', /payments is a protected environment/);
    assert.match(protectionReason('PAYMENTS', 'development', selectors) ?? '', /protected/);
    assert.equal(needsTier('payments', parseEnvironmentSelectors(['PAYMENTS', 'tier:production'], 'test')), false);
  });
});
