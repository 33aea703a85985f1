import assert from 'node:assert/strict';
import { readConfig } from '../../../src/mcp/standalone/config';
import { startStandaloneHttp } from '../../../src/mcp/standalone/standalone';
import { describeToolError } from '../../../src/mcp/toolResults';
import { LensesApiError } from '../../../src/lenses/errors';
import { connectClient, resultText } from './harness';
import { bundledBinAndHq, connectStdioBin } from './standaloneProcess';

/** Issue 8: with an API key, an HQ 401 is about the key, never "sign in again" (no one can sign in). */
describe('API-key mode: HQ rejects the key', function () {
  this.timeout(30_000);
  const hq = bundledBinAndHq();

  function assertAboutTheKey(text: string): void {
    assert.match(text, /^Lenses HQ rejected the API key: check LENSES_API_KEY/);
    assert.doesNotMatch(text, /sign in|re-authenticate/i);
    assert.doesNotMatch(text, /not-the-key/, 'the key itself is not repeated');
  }

  it('over HTTP: the tool result says to check LENSES_API_KEY', async () => {
    const config = readConfig({ LENSES_URL: hq().url, LENSES_API_KEY: 'not-the-key', HOST: '127.0.0.1', PORT: '0', TRANSPORT: 'http' });
    const server = await startStandaloneHttp(config, { logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
    const client = await connectClient(server.url);
    try {
      const result = await client.callTool({ name: 'list_environments', arguments: {} });
      assert.equal(result.isError, true);
      assertAboutTheKey(resultText(result));
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('over stdio: the same', async () => {
    const client = await connectStdioBin({ LENSES_URL: hq().url, LENSES_API_KEY: 'not-the-key' });
    try {
      const result = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(result.isError, true);
      assertAboutTheKey(resultText(result));
    } finally {
      await client.close();
    }
  });

  it('a user session (OAuth, embedded) still says to sign in again', async () => {
    const unauthorized = new LensesApiError(401, 'Unauthorized', undefined, undefined, [], undefined);
    assert.match(describeToolError('list_topics', unauthorized), /sign in to Lenses again/);
    assert.match(describeToolError('list_topics', unauthorized, 'api-key'), /^Lenses HQ rejected the API key: check LENSES_API_KEY/);
  });
});
