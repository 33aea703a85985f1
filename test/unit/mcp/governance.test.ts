import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../../src/mcp/config';
import { confirmationRequest, confirmationVerdict } from '../../../src/mcp/governance/confirmation';
import { describeAction } from '../../../src/mcp/governance/toolActions';
import { EnvironmentTierCache, protectionReason, parseEnvironmentSelectors } from '../../../src/mcp/governance/protectedEnvironments';
import { AuditLog } from '../../../src/mcp/governance';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { RecordingLogger } from '../vscode/fakes';

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

describe('environment tier cache', () => {
  it('asks once per environment while fresh, shares a lookup in flight, asks again after the TTL, and never caches a failure', async () => {
    let now = 0;
    let asked = 0;
    const cache = new EnvironmentTierCache({ ttlMs: 1000, now: () => now });
    const lookup = async () => {
      asked += 1;
      return { name: 'prod', tier: 'production' };
    };
    assert.deepEqual(await Promise.all([cache.tierOf('prod', lookup), cache.tierOf('prod', lookup)]), ['production', 'production']);
    assert.equal(asked, 1);
    now = 999;
    await cache.tierOf('prod', lookup);
    assert.equal(asked, 1);
    now = 1000;
    await cache.tierOf('prod', lookup);
    assert.equal(asked, 2);
    await assert.rejects(
      cache.tierOf('gone', async () => Promise.reject(new Error('404'))),
      /404/,
    );
    assert.equal(await cache.tierOf('gone', async () => ({ tier: 'staging' })), 'staging');
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
