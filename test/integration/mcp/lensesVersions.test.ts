import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { LENSES_VERSIONS } from '../../../src/lenses/contract';
import { connectClient, resultJson, resultText, startOAuthMcp, type OAuthMcp } from './harness';

/**
 * The version matrix: the list tools, with only the official arguments, against the emulator
 * speaking each Lenses version's published answers; and revoking a connected application
 * with the id that version gives.
 */
for (const version of LENSES_VERSIONS) {
  describe(`list tools and revoke against Lenses ${version} (emulator)`, function () {
    this.timeout(30_000);
    let env: OAuthMcp;
    let client: Client;
    before(async () => {
      env = await startOAuthMcp({ lensesVersion: version });
      client = await connectClient(env.mcp.url, await env.token(['read', 'write', 'delete']));
    });
    after(async () => {
      await client?.close();
      await env?.close();
    });
    const call = async (name: string, args: Record<string, unknown>) => await client.callTool({ name, arguments: args });

    it(`HQ-01 every list tool answers with only the official arguments, in the published fields (Lenses ${version})`, async () => {
      const environments = resultJson(await call('list_environments', {})) as Array<{ name: string }>;
      assert.ok(environments.some((e) => e.name === 'dev'));
      const connectors = resultJson(await call('list_kafka_connectors', { environment: 'dev' })) as Array<{ name: string; state: string }>;
      assert.equal(connectors.find((c) => c.name === 'payments-file-sink')?.state, 'PAUSED');
      const processors = resultJson(await call('list_sql_processors', { environment: 'dev' })) as Array<{ application: { name: string } }>;
      assert.ok(processors.some((p) => p.application.name === 'orders-enricher'));
      const filtered = resultJson(await call('list_sql_processors', { environment: 'dev', filter: 'high-value' })) as Array<{ id: string }>;
      assert.deepEqual(
        filtered.map((p) => p.id),
        ['high-value-orders'],
      );
      const groups = resultJson(await call('list_consumer_groups', { environment: 'dev' })) as Array<{ id: string; maxLag: number | null }>;
      assert.ok(groups.every((g) => typeof g.maxLag === 'number'));
      for (const [tool, args] of [
        ['list_topics', { environment: 'dev' }],
        ['list_topic_metadata', { environment: 'dev' }],
        ['list_consumer_groups_by_topic', { environment: 'dev', topic: 'orders' }],
        ['list_datasets', { environment: 'dev' }],
        ['list_approval_requests', { environment: 'dev' }],
      ] as const) {
        const result = await call(tool, args);
        assert.equal(result.isError, undefined, `${tool}: ${resultText(result)}`);
        assert.doesNotMatch(resultText(result), /does not recognise/, tool);
      }
      const health = resultJson(await call('check_environment_health', { name: 'dev' })) as { agent_connected: boolean; agent_version: string };
      assert.equal(health.agent_connected, true);
      assert.match(health.agent_version, /^\d+\.\d+/);
    });

    it(`HQ-03 revoking a connected application with the id Lenses ${version} gives ends its tokens`, async () => {
      const victim = await env.tokens(['read']);
      const listed = (await (
        await fetch(`${env.hq.url}/api/v0/users/me/oauth2/authorizations`, { headers: { authorization: `Bearer ${victim.accessToken}` } })
      ).json()) as { items: Array<Record<string, string>> };
      const item = listed.items.find((entry) => entry.app_client_id === victim.clientId);
      assert.ok(item);
      const id = version === '6.2' ? item.grant_id : item.authorization_id;
      assert.ok(id, `Lenses ${version} gives ${version === '6.2' ? 'grant_id' : 'authorization_id'}`);
      const revoked = await fetch(`${env.hq.url}/api/v0/users/me/oauth2/authorizations/${encodeURIComponent(id)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${victim.accessToken}` },
      });
      assert.equal(revoked.status, 204);
      assert.equal((await env.hq.introspect(victim.accessToken)).active, false);
    });
  });
}
