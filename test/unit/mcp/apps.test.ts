import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { LENSES_VIEWS, VIEW_MIME_TYPE } from '../../../src/mcp/apps';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { ALL_SCOPES } from '../../../src/scopes';
import { connectInMemory } from './inMemoryServer';

/** The MCP Apps views (io.modelcontextprotocol/ui) as an MCP client sees them. */
describe('MCP Apps views over MCP', () => {
  let client: Client;
  before(async () => {
    ({ client } = await connectInMemory({ defaultAccess: { kind: 'granted', token: 't', scopes: new Set(ALL_SCOPES) } }));
  });
  after(async () => {
    await client.close();
  });

  it('lists the four ui:// views with the MCP Apps MIME type', async () => {
    const { resources } = await client.listResources();
    const views = resources.filter((resource) => resource.uri.startsWith('ui://'));
    assert.deepEqual(
      views.map((view) => view.uri),
      ['ui://lenses/consumer-lag.html', 'ui://lenses/topic-overview.html', 'ui://lenses/sql-results.html', 'ui://lenses/connector-health.html'],
    );
    for (const view of views) assert.equal(view.mimeType, 'text/html;profile=mcp-app');
  });

  it('each view reads as one small HTML page (well under 100 KB) that loads nothing from elsewhere', async () => {
    for (const { uri } of LENSES_VIEWS) {
      const { contents } = await client.readResource({ uri });
      assert.equal(contents.length, 1);
      const [content] = contents;
      assert.equal(content.mimeType, VIEW_MIME_TYPE);
      assert.ok('text' in content);
      const size = Buffer.byteLength(content.text);
      assert.ok(size < 50_000, `${uri} is ${size} bytes`);
      assert.match(content.text, /^<!doctype html>/);
      assert.match(content.text, /Content-Security-Policy" content="default-src 'none'/);
      assert.doesNotMatch(content.text, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i, `${uri} loads a remote file`);
      assert.doesNotMatch(content.text, /@import|url\(\s*["']?https?:|fetch\(|XMLHttpRequest|WebSocket/, `${uri} reaches the network`);
    }
  });

  it('tools/list names the view on each tool that produces one, and only on read tools', async () => {
    const { tools } = await client.listTools();
    const withView = new Map(
      tools.flatMap((tool) =>
        (tool._meta?.ui as { resourceUri?: string })?.resourceUri ? [[tool.name, (tool._meta?.ui as { resourceUri: string }).resourceUri]] : [],
      ),
    );
    assert.deepEqual(Object.fromEntries(withView), {
      list_kafka_connectors: 'ui://lenses/connector-health.html',
      list_consumer_groups: 'ui://lenses/consumer-lag.html',
      list_consumer_groups_by_topic: 'ui://lenses/consumer-lag.html',
      execute_sql: 'ui://lenses/sql-results.html',
      get_topic: 'ui://lenses/topic-overview.html',
    });
    for (const tool of tools) assert.equal(tool._meta?.['ui/resourceUri'], withView.get(tool.name), `${tool.name}: the older key names the same view`);
    for (const view of LENSES_VIEWS) {
      for (const name of view.tools) assert.equal(LENSES_TOOLS.find((tool) => tool.name === name)?.scope, 'read', `${view.uri} may call ${name}`);
    }
  });

  it('an unknown resource is an error naming it', async () => {
    await assert.rejects(client.readResource({ uri: 'ui://lenses/nothing.html' }), /ui:\/\/lenses\/nothing\.html/);
  });
});
