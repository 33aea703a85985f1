import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, readConfig, VARIABLES } from '../../../src/mcp/config';

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
    assert.deepEqual(config.allowedHosts, []);
    assert.equal(config.hqTimeoutSeconds, 30);
    assert.equal(config.maxSessions, 1000);
    assert.equal(config.maxSessionsPerUser, 20);
  });

  it('RS-18 INTROSPECTION_CACHE_TTL defaults to 0 (every request validated with HQ), and --help says so', () => {
    const config = readConfig({ OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: 'https://mcp.example.com' });
    assert.equal(config.introspectionCacheTtlSeconds, 0);
    assert.equal(VARIABLES.find((variable) => variable.name === 'INTROSPECTION_CACHE_TTL')?.default, '0');
    assert.equal(readConfig({ OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: 'https://m.example', INTROSPECTION_CACHE_TTL: '30' }).introspectionCacheTtlSeconds, 30);
  });

  it('RS-17 MCP_ALLOWED_HOSTS takes a comma list of host names and refuses anything else, naming the variable', () => {
    assert.deepEqual(readConfig({ LENSES_API_KEY: 'k', MCP_ALLOWED_HOSTS: ' MCP.example.com, 10.0.0.5,::1 ,[fe80::1],' }).allowedHosts, ['mcp.example.com', '10.0.0.5', '[::1]', '[fe80::1]']);
    for (const bad of ['https://mcp.example.com', 'mcp.example.com:8443', 'mcp.example.com/mcp', '*', 'user@host']) {
      assert.throws(() => readConfig({ LENSES_API_KEY: 'k', MCP_ALLOWED_HOSTS: bad }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`MCP_ALLOWED_HOSTS entry "${bad}" is not a host name`), bad);
    }
  });

  it('MCP_ADVERTISED_URL is also read in API-key mode (its host is accepted in Host and Origin)', () => {
    assert.equal(readConfig({ LENSES_API_KEY: 'k', MCP_ADVERTISED_URL: 'https://mcp.example.com/' }).mcpAdvertisedUrl, 'https://mcp.example.com');
    assert.throws(() => readConfig({ LENSES_API_KEY: 'k', MCP_ADVERTISED_URL: 'mcp.example.com' }), (e: unknown) => e instanceof ConfigError && /^MCP_ADVERTISED_URL /.test(e.message));
  });

  it('LENSES_TIMEOUT_SECONDS, MCP_MAX_SESSIONS and MCP_MAX_SESSIONS_PER_USER are whole numbers in range, named when wrong', () => {
    const config = readConfig({ LENSES_API_KEY: 'k', LENSES_TIMEOUT_SECONDS: '5', MCP_MAX_SESSIONS: '50', MCP_MAX_SESSIONS_PER_USER: '3' });
    assert.equal(config.hqTimeoutSeconds, 5);
    assert.equal(config.maxSessions, 50);
    assert.equal(config.maxSessionsPerUser, 3);
    for (const [name, bad] of [['LENSES_TIMEOUT_SECONDS', '0'], ['LENSES_TIMEOUT_SECONDS', '1.5'], ['MCP_MAX_SESSIONS', '0'], ['MCP_MAX_SESSIONS_PER_USER', 'many']]) {
      assert.throws(() => readConfig({ LENSES_API_KEY: 'k', [name]: bad }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${name} must be a whole number`), `${name}=${bad}`);
    }
  });

  it('reads every documented variable and no undocumented one (so --help and the README list them all)', () => {
    const read: string[] = [];
    const env = new Proxy<Record<string, string | undefined>>({}, {
      get: (_target, name) => {
        if (typeof name === 'string') read.push(name);
        return name === 'LENSES_API_KEY' ? 'k' : undefined;
      },
    });
    readConfig(env);
    assert.deepEqual([...new Set(read)].sort(), VARIABLES.map((variable) => variable.name).sort());
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

  it('the README\'s variable table lists every variable with the default --help prints', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    for (const variable of VARIABLES) assert.ok(readme.includes(`| \`${variable.name}\` | ${variable.default} | ${variable.description} |`), variable.name);
  });
});
