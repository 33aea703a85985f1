import assert from 'node:assert/strict';
import type { RunningHq } from '../../hq-emulator/testing';
import { resultText } from '../integration/mcp/harness';
import { bundledBinAndHq, runBin, startBin } from '../integration/mcp/standaloneProcess';
import { startOAuthBin, withClient } from './compatHarness';

/**
 * The remaining deliberate differences from the official server that its own tests do not
 * touch (the compatibility notes in docs/STANDALONE.md): each asserts our behaviour, with the reason in its name.
 */
describe('compat: deliberate differences from the official server outside its tests', function () {
  this.timeout(30_000);
  const runningHq = bundledBinAndHq();
  let hq: RunningHq;
  beforeEach(() => {
    hq = runningHq();
  });

  it('deliberate difference: LENSES_URL wins over the legacy LENSES_API_* names, reported as ignored (one HQ for HTTP and SQL; the official lets the old names override it)', async () => {
    const bin = await startBin({
      LENSES_URL: hq.url,
      LENSES_API_HTTP_URL: 'http://127.0.0.1',
      LENSES_API_HTTP_PORT: '9',
      LENSES_API_KEY: hq.apiKey,
      TRANSPORT: 'http',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    try {
      assert.match(bin.stderr(), /lenses-mcp: LENSES_API_HTTP_URL, LENSES_API_HTTP_PORT ignored: LENSES_URL is set/);
      const result = await withClient(bin.url, undefined, (client) => client.callTool({ name: 'list_environments', arguments: {} }));
      assert.equal(result.isError, undefined, resultText(result));
    } finally {
      await bin.stop();
    }
  });

  it('deliberate difference: a bad OTEL_* value stops the start with one line (the official logs it and runs without traces), so it is found at deploy time', async () => {
    const { code, stderr } = await runBin([], { LENSES_API_KEY: 'k', OTEL_ENABLED: 'true', OTEL_EXPORTER: 'jaeger' });
    assert.equal(code, 2);
    assert.equal(stderr, 'lenses-mcp: OTEL_EXPORTER must be otlp or console, not "jaeger"\n');
  });

  it('RS-22 deliberate difference: CORS answers only origins the Host/Origin rule allows (the official answers any), so a web page cannot drive a server it was not meant to reach', async () => {
    const bin = await startOAuthBin({ LENSES_URL: hq.url, MCP_ALLOWED_HOSTS: 'app.example.test' });
    try {
      const preflight = (origin: string) =>
        fetch(bin.url, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } }).then(async (response) => {
          await response.body?.cancel();
          return [response.status, response.headers.get('access-control-allow-origin')];
        });
      assert.deepEqual(await preflight('https://app.example.test'), [204, '*']);
      assert.deepEqual(await preflight('https://evil.example'), [403, null]);
    } finally {
      await bin.stop();
    }
  });
});
