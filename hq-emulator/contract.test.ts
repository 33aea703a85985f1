import assert from 'node:assert/strict';
import type { z } from 'zod';
import {
  APPROVAL_LIST,
  agentBadRequest,
  CONNECTED_APPS,
  CONNECTOR_LIST,
  CONSUMER_GROUP_LIST,
  DATASET_LIST,
  ENVIRONMENT,
  ENVIRONMENT_LIST,
  hqError,
  LENSES_VERSIONS,
  PROCESSOR_LIST,
  TOPIC_LIST,
  TOPIC_METADATA_LIST,
  type Endpoint,
} from '../src/lenses/contract';
import { obtainTokens, startHq, type RunningHq } from './testing/index';

/**
 * The emulator cannot drift from the reference: every answer it gives (lists, single items,
 * errors, the connected-applications list, 204s where no body is documented) is validated
 * against the schema of the Lenses version it claims to be (src/lenses/contract).
 */
for (const version of LENSES_VERSIONS) {
  describe(`HQ emulator contract: every answer is in Lenses ${version}'s published shape`, () => {
    let hq: RunningHq;
    before(async () => (hq = await startHq({ port: 0, lensesVersion: version })));
    after(() => hq.close());

    const call = async (method: string, path: string, token = hq.apiKey) => {
      const response = await fetch(`${hq.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      return { status: response.status, text, json: text ? (JSON.parse(text) as unknown) : undefined };
    };
    const agent = (path: string) => `/api/v1/environments/dev/proxy${path}`;
    const conforms = (schema: z.ZodType, value: unknown, what: string) => {
      const parsed = schema.safeParse(value);
      assert.ok(parsed.success, `${what}: ${parsed.success ? '' : parsed.error.message}`);
    };
    const read = async <T>(endpoint: Endpoint<T>, path: string) => {
      const answer = await call('GET', path);
      assert.equal(answer.status, 200, `${endpoint.request}: ${answer.text.slice(0, 200)}`);
      conforms(endpoint.answers[version], answer.json, endpoint.request);
      return answer.json;
    };

    it(`HQ-01 lists and single items: environments, connectors, processors, groups, topics, datasets, approvals`, async () => {
      await read(ENVIRONMENT_LIST, '/api/v1/environments');
      await read(ENVIRONMENT, '/api/v1/environments/dev');
      await read(ENVIRONMENT, '/api/v1/environments/staging');
      await read(CONNECTOR_LIST, agent('/api/kafka-connect/connectors'));
      await read(PROCESSOR_LIST, agent('/api/v2/streams'));
      await read(CONSUMER_GROUP_LIST, agent('/api/consumers'));
      await read(CONSUMER_GROUP_LIST, agent('/api/consumers/orders'));
      await read(TOPIC_LIST, agent('/api/topics'));
      await read(TOPIC_METADATA_LIST, agent('/api/metadata/topics'));
      await read(DATASET_LIST, agent('/api/v1/datasets?pageSize=5'));
      await read(APPROVAL_LIST, agent('/api/v1/approvals?pageSize=5'));
    });

    it(`HQ-03 the connected-applications list is in ${version}'s shape, and not in the other version's`, async () => {
      const tokens = await obtainTokens(hq, { scopes: ['read'], clientName: 'Contract check' });
      await read(CONNECTED_APPS, '/api/v0/users/me/oauth2/authorizations');
      const answer = await call('GET', '/api/v0/users/me/oauth2/authorizations', tokens.accessToken);
      conforms(CONNECTED_APPS.answers[version], answer.json, 'connected applications');
      if (version === '6.2') assert.equal(CONNECTED_APPS.answers['6.3'].safeParse(answer.json).success, false, '6.2 items have no authorization_id');
    });

    it('errors: hq_Error from HQ (401, unknown environment, agent not connected, connected apps), agent_BadRequest from an agent route', async () => {
      for (const [path, token, status] of [
        ['/api/v1/environments', 'not-a-token', 401],
        ['/api/v1/environments/nope', hq.apiKey, 404],
        [agent('/api/topics').replace('/dev/', '/nope/'), hq.apiKey, 404],
        [agent('/api/topics').replace('/dev/', '/staging/'), hq.apiKey, 503],
        ['/api/v0/users/me/oauth2/authorizations', 'not-a-token', 401],
      ] as const) {
        const answer = await call('GET', path, token);
        assert.equal(answer.status, status, path);
        conforms(hqError, answer.json, `${status} ${path}`);
      }
      const missing = await call('DELETE', '/api/v0/users/me/oauth2/authorizations/no-such-grant');
      assert.equal(missing.status, 404);
      conforms(hqError, missing.json, 'unknown authorization');
      const refused = await fetch(`${hq.url}${agent('/api/topics')}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hq.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ topicName: 'bad name!', partitions: 0 }),
      });
      assert.equal(refused.status, 400);
      conforms(agentBadRequest, await refused.json(), 'agent 400');
    });

    it('204 with no body where the reference documents "No content" (consumer-group and connected-app deletes)', async () => {
      const deleted = await call('DELETE', agent('/api/consumers/orders-archiver'));
      assert.deepEqual([deleted.status, deleted.text], [204, '']);
      const tokens = await obtainTokens(hq, { scopes: ['read'], clientName: 'To delete' });
      const { items } = (await call('GET', '/api/v0/users/me/oauth2/authorizations', tokens.accessToken)).json as { items: Array<Record<string, string>> };
      const item = items.find((entry) => entry.app_client_id === tokens.clientId);
      assert.ok(item);
      const revoked = await call('DELETE', `/api/v0/users/me/oauth2/authorizations/${item.authorization_id ?? item.grant_id}`, tokens.accessToken);
      assert.deepEqual([revoked.status, revoked.text], [204, '']);
    });
  });
}
