import assert from 'node:assert/strict';
import { VARIABLES } from '../../../src/mcp/standalone/config';
import { catalogOf } from '../../../src/mcp/toolCatalog';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { assertReadOnlyClientWorks, connectClient, resultJson, startOAuthMcp } from './harness';
import { bundledBinAndHq, connectStdioBin, runBin, startBin } from './standaloneProcess';

describe('lenses-mcp bin (bundled by esbuild)', function () {
  this.timeout(30_000);
  const hq = bundledBinAndHq();

  it('--help lists every variable with its default', async () => {
    const { code, stdout } = await runBin(['--help'], {});
    assert.equal(code, 0);
    for (const variable of VARIABLES) assert.match(stdout, new RegExp(`${variable.name} .*Default: `), variable.name);
  });

  for (const [label, env, named] of [
    ['a missing API key', {}, 'LENSES_API_KEY'],
    ['a bad PORT', { LENSES_API_KEY: 'k', PORT: 'eighty' }, 'PORT'],
    ['a bad LENSES_URL', { LENSES_API_KEY: 'k', LENSES_URL: 'ftp://hq' }, 'LENSES_URL'],
    ['OAuth without MCP_ADVERTISED_URL', { OAUTH_ENABLED: 'true' }, 'MCP_ADVERTISED_URL'],
    ['a bad OAUTH_ENABLED', { OAUTH_ENABLED: 'maybe' }, 'OAUTH_ENABLED'],
    ['an unknown scope', { LENSES_API_KEY: 'k', MCP_SCOPES: 'read,admin' }, 'MCP_SCOPES'],
    ['an MCP_ALLOWED_HOSTS entry with a scheme', { LENSES_API_KEY: 'k', MCP_ALLOWED_HOSTS: 'mcp.example.com,https://evil' }, 'MCP_ALLOWED_HOSTS'],
    ['a zero LENSES_TIMEOUT_SECONDS', { LENSES_API_KEY: 'k', LENSES_TIMEOUT_SECONDS: '0' }, 'LENSES_TIMEOUT_SECONDS'],
  ] as const) {
    it(`exits non-zero with one line naming the variable for ${label}`, async () => {
      const { code, stdout, stderr } = await runBin([], env);
      assert.notEqual(code, 0);
      assert.equal(stdout, '');
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0], new RegExp(`^lenses-mcp: ${named} `));
    });
  }

  it('serves MCP over stdio with the API key (stdout is JSON-RPC only, logs on stderr)', async () => {
    const client = await connectStdioBin({ LENSES_URL: hq().url, LENSES_API_KEY: hq().apiKey });
    try {
      assert.equal((await client.listTools()).tools.length, 45);
      const environments = resultJson(await client.callTool({ name: 'list_environments', arguments: {} })) as Array<{ name: string }>;
      assert.ok(environments.some((e) => e.name === 'dev'));
      const records = resultJson(
        await client.callTool({ name: 'execute_sql', arguments: { environment: 'dev', sql: 'SELECT * FROM payments LIMIT 3' } }),
      ) as unknown[];
      assert.equal(records.length, 3);
      const topic = resultJson(await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: 'customers' } })) as {
        isCompacted: boolean;
      };
      assert.equal(topic.isCompacted, true);
    } finally {
      await client.close();
    }
  });

  it("lists every tool exactly as its own schemas say: the catalog built into the bundle is the tools'", async () => {
    const client = await connectStdioBin({ LENSES_URL: hq().url, LENSES_API_KEY: hq().apiKey });
    try {
      const listed = (await client.listTools()).tools;
      const fromSource = catalogOf(LENSES_TOOLS).map((tool) => tool.listing);
      assert.deepEqual(JSON.parse(JSON.stringify(listed)), JSON.parse(JSON.stringify(fromSource)));
      // The tools behind the listing still validate with those schemas: an argument outside one is refused by name.
      const refused = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev', colour: 'red' } });
      assert.equal(refused.isError, true);
      assert.match(JSON.stringify(refused.content), /unknown argument \\"colour\\"/);
    } finally {
      await client.close();
    }
  });

  it('OAuth mode over HTTP from the environment: PRM served, tools work with a real token, SIGTERM exits 0', async () => {
    const env = await startOAuthMcp({ advertisedUrl: 'https://mcp.example.test' });
    const bin = await startBin({
      OAUTH_ENABLED: 'yes',
      LENSES_URL: env.hq.url,
      LENSES_ADVERTISED_URL: 'https://hq.example.test',
      MCP_ADVERTISED_URL: 'https://mcp.example.test',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    try {
      const prm = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', bin.url))).json()) as {
        resource: string;
        authorization_servers: string[];
      };
      assert.equal(prm.resource, 'https://mcp.example.test/mcp');
      assert.deepEqual(prm.authorization_servers, ['https://hq.example.test']);
      const token = await env.token(['read']);
      const client = await connectClient(bin.url, token);
      await assertReadOnlyClientWorks(client);
      await client.close();
      assert.ok(!bin.stderr().includes(token), 'token in the log');
    } finally {
      assert.equal(await bin.stop('SIGTERM'), 0);
      await env.close();
    }
  });
});
