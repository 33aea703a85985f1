import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import { connectClient, resultText, startOAuthMcp, type OAuthMcp } from '../integration/mcp/harness';

/**
 * Compatibility with the official Lenses MCP server (lensesio/lenses-mcp): what its
 * tests/test_http_client.py asserts about HQ's error answers and empty successes, checked
 * on our server in OAuth mode (the emulator validates the token) in front of an HQ that
 * answers what each official test's mock answers. Written from the behaviour, not the code.
 */
const DEV = { name: 'dev', display_name: 'Dev', tier: 'development' };

describe('compatibility with the official server: HQ errors and empty answers (tests/test_http_client.py)', function () {
  this.timeout(30_000);
  let stub: Server;
  let answer: { status: number; body: string; type?: string } = { status: 200, body: '{}' };
  let env: OAuthMcp;
  let client: Client;
  let token: string;

  before(async () => {
    stub = createServer((request, response) => {
      // The environment itself (the protected-environment tier lookup before a write, and get_environment).
      if (request.method === 'GET' && request.url === '/api/v1/environments/dev') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(DEV));
        return;
      }
      response.writeHead(answer.status, answer.body ? { 'content-type': answer.type ?? 'application/json' } : {});
      response.end(answer.body);
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    env = await startOAuthMcp({ lensesUrl: `http://127.0.0.1:${(stub.address() as AddressInfo).port}` });
    token = await env.token(['read', 'write', 'delete']);
    client = await connectClient(env.mcp.url, token);
  });
  after(async () => {
    await client?.close();
    await env?.close();
    await new Promise<void>((resolve) => stub.close(() => resolve()));
  });

  const listTopics = async (status: number, body: unknown, type?: string): Promise<CallToolResult> => {
    answer = { status, body: typeof body === 'string' ? body : JSON.stringify(body), type };
    return await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
  };

  it('official test_401_raises_authentication_required_error: an HQ 401 is a tool error, not an answer', async () => {
    const result = await listTopics(401, { title: 'Unauthorized', error_description: 'token revoked' });
    assert.equal(result.isError, true);
    assert.equal(result.structuredContent, undefined);
  });

  it("official test_401_error_message_includes_lenses_detail_and_reauth_hint: HQ's title and description beside a re-authenticate hint", async () => {
    const text = resultText(await listTopics(401, { title: 'Unauthorized', error_description: 'token revoked' }));
    assert.match(text, /Authentication error/);
    assert.match(text, /Unauthorized/, "HQ's title");
    assert.match(text, /token revoked/, "HQ's description");
    assert.match(text, /re-authenticate/i, 'our hint');
  });

  it('official test_non_401_raises_generic_exception: a 500 quotes its title, and does not ask to re-authenticate', async () => {
    const result = await listTopics(500, { title: 'Internal Server Error' });
    assert.equal(result.isError, true);
    assert.match(resultText(result), /Internal Server Error/);
    assert.doesNotMatch(resultText(result), /re-authenticate/i);
  });

  it("official test_403_treated_as_generic_error: a 403 quotes HQ's title and asks for a permission, not a sign-in", async () => {
    const text = resultText(await listTopics(403, { type: 'forbidden', title: 'Forbidden', status: 403 }));
    assert.match(text, /Forbidden/);
    assert.match(text, /permission/);
    assert.doesNotMatch(text, /re-authenticate/i);
  });

  it("official test_extract_error_detail_uses_title_field: hq_Error's title is HQ's problem text", async () => {
    const text = resultText(await listTopics(404, { type: 'not_found', title: "Environment 'dev' does not exist", status: 404, request_id: 'r-7' }));
    assert.match(text, /Environment 'dev' does not exist/);
    assert.match(text, /request id r-7/);
  });

  it('official test_extract_error_detail_falls_back_to_error_description: without a title, error_description is quoted', async () => {
    assert.match(resultText(await listTopics(401, { error_description: 'token expired' })), /token expired/);
  });

  it('official test_extract_error_detail_handles_non_json_body: a text body is shown raw with the status', async () => {
    const text = resultText(await listTopics(500, '<html>oops</html>', 'text/html'));
    assert.match(text, /500/);
    assert.match(text, /oops/);
  });

  it('official test_extract_error_detail_handles_empty_body: an empty 401 still names the status', async () => {
    const result = await listTopics(401, '');
    assert.equal(result.isError, true);
    assert.match(resultText(result), /401/);
  });

  it('official test_extract_error_detail_handles_json_missing_both_fields: a 5xx JSON with neither title nor error_description is shown raw, bounded', async () => {
    const text = resultText(await listTopics(502, { unrelated: 'value' }));
    assert.match(text, /502/);
    assert.match(text, /"unrelated":"value"/);
    const long = resultText(await listTopics(500, { trace: 'x'.repeat(5000) }));
    assert.ok(long.length < 800, `bounded (${long.length} characters)`);
    assert.match(long, /more characters/);
  });

  it('a credential HQ echoes in its problem text never reaches the answer', async () => {
    const text = resultText(await listTopics(401, { title: `Token ${token} is revoked`, error_description: `Bearer ${token}` }));
    assert.ok(!text.includes(token), 'the token is blanked');
    assert.match(text, /\[credential\]/);
  });

  it("official test_200_returns_parsed_json: a 200 answer is HQ's JSON", async () => {
    answer = { status: 200, body: JSON.stringify({ name: 'dev', display_name: 'Dev', tier: 'development' }) };
    const result = await client.callTool({ name: 'get_environment', arguments: { name: 'dev' } });
    assert.deepEqual(JSON.parse(resultText(result)), { name: 'dev', display_name: 'Dev', tier: 'development' });
  });

  it('official test_204_returns_success_marker: an HQ 204 is {"success": true, "message": "Operation completed successfully"}, as text and structuredContent', async () => {
    answer = { status: 204, body: '' };
    const result = await client.callTool({
      name: 'delete_kafka_connector',
      arguments: { environment: 'dev', cluster: 'connect-main', connector: 'orders-s3-sink' },
    });
    assert.equal(result.isError, undefined, resultText(result));
    assert.deepEqual(JSON.parse(resultText(result)), { success: true, message: 'Operation completed successfully' });
    assert.deepEqual(result.structuredContent, { success: true, message: 'Operation completed successfully' });
  });
});

describe('compatibility with the official server: a 204 from the HQ emulator', function () {
  this.timeout(30_000);
  it('official test_204_returns_success_marker: delete_consumer_group against the emulator answers the success marker', async () => {
    const env = await startOAuthMcp();
    const client = await connectClient(env.mcp.url, await env.token(['read', 'delete']));
    try {
      const result = await client.callTool({
        name: 'delete_consumer_group',
        arguments: { environment: 'dev', group_id: 'orders-archiver' },
      });
      assert.deepEqual(result.structuredContent, { success: true, message: 'Operation completed successfully' });
      assert.deepEqual(JSON.parse(resultText(result)), result.structuredContent);
    } finally {
      await client.close();
      await env.close();
    }
  });
});
