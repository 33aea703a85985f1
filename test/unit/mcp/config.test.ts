import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../../src/mcp/config';

describe('readConfig (the official server\'s environment contract)', () => {
  it('applies the documented defaults in API-key mode', () => {
    const config = readConfig({ LENSES_API_KEY: 'key' });
    assert.equal(config.lensesUrl, 'http://localhost:9991');
    assert.equal(config.transport, 'stdio');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.port, 8000);
    assert.deepEqual(config.scopes, ['read', 'write', 'delete']);
    assert.equal(config.introspectionUrl, 'http://localhost:9991/oauth2/introspect');
    assert.equal(config.stateless, false);
    assert.equal(config.logLevel, 'info');
  });

  it('OAuth mode defaults to HTTP, advertises LENSES_URL unless told otherwise, and keeps introspection on the internal URL', () => {
    const config = readConfig({ OAUTH_ENABLED: '1', MCP_ADVERTISED_URL: 'https://mcp.example.com/', LENSES_URL: 'http://hq.internal:9991', MCP_SCOPES: 'read,write', MCP_STATELESS_HTTP: 'true' });
    assert.equal(config.transport, 'http');
    assert.equal(config.mcpAdvertisedUrl, 'https://mcp.example.com');
    assert.equal(config.lensesAdvertisedUrl, 'http://hq.internal:9991');
    assert.equal(config.introspectionUrl, 'http://hq.internal:9991/oauth2/introspect');
    assert.deepEqual(config.scopes, ['read', 'write']);
    assert.equal(config.stateless, true);
  });

  it('refuses OAuth over stdio and an INTROSPECTION_CACHE_TTL that is not a number, naming the variable', () => {
    assert.throws(() => readConfig({ OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: 'https://m', TRANSPORT: 'stdio' }), (e: unknown) => e instanceof ConfigError && /^TRANSPORT /.test(e.message));
    assert.throws(() => readConfig({ LENSES_API_KEY: 'k', INTROSPECTION_CACHE_TTL: '-1' }), (e: unknown) => e instanceof ConfigError && /^INTROSPECTION_CACHE_TTL /.test(e.message));
  });

  it('accepts LOG_LEVEL info, debug or trace and refuses anything else, naming the variable', () => {
    assert.equal(readConfig({ LENSES_API_KEY: 'k', LOG_LEVEL: 'DEBUG' }).logLevel, 'debug');
    assert.throws(() => readConfig({ LENSES_API_KEY: 'k', LOG_LEVEL: 'verbose' }), (e: unknown) => e instanceof ConfigError && /^LOG_LEVEL must be info, debug or trace/.test(e.message));
  });
});
