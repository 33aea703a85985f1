import assert from 'node:assert/strict';
import { LENSES_PROMPTS } from '../../../src/mcp/prompts';
import { LENSES_TOOLS } from '../../../src/mcp/tools';

const textOf = (name: string, args: Record<string, string>) => {
  const prompt = LENSES_PROMPTS.find((candidate) => candidate.name === name);
  assert.ok(prompt, name);
  return prompt.text(args);
};

describe('prompts that list things', () => {
  it('name the list tool, its filter, and how to follow the pages', () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['list_connected_environments', {}, 'list_environments'],
      ['list_running_kafka_connectors', { environment: 'prod' }, 'list_kafka_connectors'],
      ['list_consumer_groups_for_topic', { topic: 'orders', environment: 'prod' }, 'list_consumer_groups_by_topic'],
      ['list_running_sql_processors', { environment: 'prod' }, 'list_sql_processors'],
    ];
    for (const [name, args, tool] of cases) {
      const text = textOf(name, args);
      assert.ok(text.includes(tool), `${name} names ${tool}`);
      assert.match(text, /pass the offset it names/, name);
      assert.ok(
        LENSES_TOOLS.some((t) => t.name === tool && 'offset' in (t.inputSchema as unknown as { shape: object }).shape),
        `${tool} takes offset`,
      );
    }
    assert.match(
      textOf('troubleshoot_kafka_connector', { connector_name: 'orders-sink', environment: 'prod' }),
      /list_kafka_connectors and filter 'orders-sink'/,
    );
    assert.match(textOf('troubleshoot_sql_processor', { sql_processor_id: 'enricher', environment: 'prod' }), /list_sql_processors and filter 'enricher'/);
  });
});
