import assert from 'node:assert/strict';
import { parseArguments } from '../main';
import { MAX_SCALE, SCALED_ENVIRONMENT, scaledState, scaledTopicName, WIDE_TOPIC } from './scale';
import { seedState } from './seed';
import { body, startTestApi, type TestApi } from './testServer';

describe('HQ emulator at --scale N', () => {
  it('npm run hq -- --scale N is parsed, and refused outside 1..MAX with one line naming the flag', () => {
    assert.equal(parseArguments(['--scale', '10000']).scale, 10_000);
    assert.equal(parseArguments(['--scale=250']).scale, 250);
    for (const bad of [['--scale', '0'], ['--scale', 'many'], ['--scale', String(MAX_SCALE + 1)], ['--scale']]) {
      assert.throws(() => parseArguments(bad), /--scale/, bad.join(' '));
    }
  });

  it('seeds a connected "prod" environment (in place of the small one) beside the unchanged sample data, deterministically', () => {
    const state = scaledState(1000);
    const others = (environments: typeof state.environments) => environments.filter((environment) => environment.name !== SCALED_ENVIRONMENT);
    assert.deepEqual(others(state.environments), others(seedState().environments), 'dev and staging as without --scale');
    assert.equal(state.environments.filter((environment) => environment.name === SCALED_ENVIRONMENT).length, 1, 'one prod');
    assert.deepEqual(scaledState(1000), state, 'the same data every time');
    const prod = state.environments.find((environment) => environment.name === SCALED_ENVIRONMENT);
    assert.ok(prod?.agent.connected);
    const names = prod.data.topics.map((topic) => topic.name);
    assert.equal(new Set(names).size, 1001, 'N unique names and the wide topic');
    assert.equal(names[4321 % 1000], scaledTopicName(4321 % 1000));
    assert.ok(
      names.every((name) => /^[a-z0-9._-]{1,249}$/.test(name)),
      'legal Kafka topic names',
    );
  });

  describe('served through the Lenses API (N = 2,000)', function () {
    this.timeout(30_000);
    let api: TestApi;
    before(async () => {
      api = await startTestApi(scaledState(2000));
    });
    after(() => api?.close());
    const get = async <T>(path: string) => body<T>(await api.request('GET', `/api/v1/environments/${SCALED_ENVIRONMENT}/proxy${path}`, { token: 'r' }));

    it('N topics over a few domains with partitions, configs, record counts and tags, plus the 10·N-record topic', async () => {
      const topics = await get<Array<{ topicName: string; partitions: number; totalMessages: number; tags: string[]; isCompacted: boolean }>>('/api/topics');
      assert.equal(topics.length, 2001);
      assert.ok(new Set(topics.map((t) => t.topicName.split('.')[0])).size >= 5, 'several domains');
      assert.ok(new Set(topics.map((t) => t.partitions)).size > 2, 'varied partitions');
      assert.ok(topics.some((t) => t.isCompacted) && topics.some((t) => !t.isCompacted));
      assert.ok(topics.every((t) => t.tags.length > 0));
      assert.equal(topics.find((t) => t.topicName === WIDE_TOPIC)?.totalMessages, 20_000);
    });

    it('about N/4 consumer groups with lag, N/20 connectors with tasks (some failed), N/100 SQL processors, a dataset per topic', async () => {
      const groups = await get<Array<{ maxLag: number; active: boolean }>>('/api/consumers');
      assert.equal(groups.length, 500);
      assert.ok(groups.some((g) => g.maxLag > 0) && groups.some((g) => g.active) && groups.some((g) => !g.active));
      const { data: connectors } = await get<{ data: Array<{ tasks: Array<{ state: string }> }> }>('/api/kafka-connect/connectors');
      assert.equal(connectors.length, 100);
      assert.ok(connectors.some((c) => c.tasks.some((t) => t.state === 'FAILED')));
      const { processors } = await get<{ processors: unknown[] }>('/api/v2/streams');
      assert.equal(processors.length, 20);
      const datasets = await get<{ datasets: { totalCount: number } }>('/api/v1/datasets?pageSize=1');
      assert.equal(datasets.datasets.totalCount, 2001);
    });
  });
});
