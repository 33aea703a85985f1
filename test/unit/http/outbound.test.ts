import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, lensesBearerOrigins, postForm, request, sameOriginAs, send } from '../../../src/http';
import { urlOf } from '../../support/requestUrl';
import { waitUntil } from '../../support/waiting';

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

/** A loopback server that records every request and answers with `handler`. */
async function startServer(handler: (request: IncomingMessage, response: ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
  return error;
}

describe('outbound HTTP core (src/http)', () => {
  it('CL-16 a bearer never follows a redirect: the 3xx is refused and its target sees nothing', async () => {
    const target = await startServer((_req, res) => res.end('collected'));
    const origin = await startServer((_req, res) => res.writeHead(302, { location: `${target.url}/steal` }).end());
    try {
      const error = await failure(request(`${origin.url}/api/x`, {}, { timeoutMs: 5000, bearer: { token: 'secret', origins: sameOriginAs(origin.url) } }));
      assert.equal(error.code, 'redirected');
      assert.equal(error.status, 302);
      assert.equal(origin.seen[0]?.authorization, 'Bearer secret');
      assert.deepEqual(target.seen, [], 'the redirect target received no request');
    } finally {
      await Promise.all([target.close(), origin.close()]);
    }
  });

  it('CL-16 a bearer for an origin the rule does not allow is not sent: no request leaves', async () => {
    const other = await startServer((_req, res) => res.end('{}'));
    try {
      const origins = lensesBearerOrigins({ userHqUrl: () => 'https://hq.example.com', confirmedMcpOrigins: () => ['https://mcp.example.com'] });
      const error = await failure(request(`${other.url}/api/x`, {}, { timeoutMs: 5000, bearer: { token: 'secret', origins } }));
      assert.equal(error.code, 'bearer_refused');
      assert.match(error.message, /neither your Lenses HQ \(lenses\.url in your user settings\) nor a remote MCP server you confirmed/);
      assert.doesNotMatch(error.message, /secret/);
      assert.deepEqual(other.seen, []);
    } finally {
      await other.close();
    }
  });

  it('CL-16 the editor rule allows the user-level HQ origin and confirmed MCP origins only', () => {
    let confirmed: string[] = [];
    const origins = lensesBearerOrigins({ userHqUrl: () => 'https://HQ.example.com:443/base/', confirmedMcpOrigins: () => confirmed });
    assert.equal(origins.refusal(new URL('https://hq.example.com/api/v1/environments')), undefined);
    assert.ok(origins.refusal(new URL('https://hq.example.com:8443/api')), 'another port is another origin');
    assert.ok(origins.refusal(new URL('http://hq.example.com/api')), 'another scheme is another origin');
    assert.ok(origins.refusal(new URL('https://mcp.example.com/mcp')));
    confirmed = ['https://mcp.example.com'];
    assert.equal(origins.refusal(new URL('https://mcp.example.com/mcp')), undefined);
    const unset = lensesBearerOrigins({ userHqUrl: () => '', confirmedMcpOrigins: () => [] });
    assert.ok(unset.refusal(new URL('https://hq.example.com/')));
  });

  it('refuses an Authorization: Bearer header passed around the bearer option', async () => {
    const calls: string[] = [];
    const error = await failure(
      request(
        'https://hq.example.com/x',
        { headers: { authorization: 'Bearer t' } },
        {
          fetch: async (input) => {
            calls.push(urlOf(input));
            return new Response('');
          },
        },
      ),
    );
    assert.equal(error.code, 'bearer_refused');
    assert.deepEqual(calls, []);
  });

  it('CL-13 refuses plain http to a host that is not loopback before anything is sent, unless allowed', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(urlOf(input));
      return new Response('ok');
    };
    const error = await failure(request('http://hq.example.com/x', {}, { fetch: fakeFetch }));
    assert.equal(error.code, 'insecure_url');
    assert.deepEqual(calls, []);
    assert.equal((await request('http://hq.example.com/x', {}, { fetch: fakeFetch, allowInsecureHttp: true })).text, 'ok');
    assert.equal((await failure(request('file:///etc/passwd', {}, { fetch: fakeFetch }))).code, 'invalid_url');
  });

  it('CL-20 refuses an answer over the size limit, declared or streamed', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': '2048' }).end('x'.repeat(2048));
      else {
        res.writeHead(200);
        res.write('x'.repeat(1500));
        res.end('y'.repeat(1500));
      }
    });
    try {
      assert.equal((await failure(request(`${server.url}/declared`, {}, { timeoutMs: 5000, maxResponseBytes: 1024 }))).code, 'too_large');
      const streamed = await failure(request(`${server.url}/streamed`, {}, { timeoutMs: 5000, maxResponseBytes: 2048 }));
      assert.equal(streamed.code, 'too_large');
      assert.equal(streamed.message, 'answered more than 2 KiB');
      assert.equal((await request(`${server.url}/streamed`, {}, { timeoutMs: 5000, maxResponseBytes: 4096 })).text.length, 3000);
    } finally {
      await server.close();
    }
  });

  it("times out a server that never answers, and tells a caller's cancel apart", async () => {
    const server = await startServer(() => {
      /* never answers */
    });
    try {
      const timedOut = await failure(request(`${server.url}/slow`, {}, { timeoutMs: 100 }));
      assert.equal(timedOut.code, 'timeout');
      assert.equal(timedOut.message, 'no answer within 100 ms');
      const caller = new AbortController();
      const pending = request(`${server.url}/slow`, {}, { timeoutMs: 10_000, signal: caller.signal });
      await waitUntil(() => server.seen.length === 2);
      caller.abort();
      assert.equal((await failure(pending)).code, 'cancelled');
    } finally {
      await server.close();
    }
  });

  it('CL-20 times out while the body is still arriving', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
    });
    try {
      // Long enough for the headers on a loaded machine; the body never ends, so only the deadline stops it.
      const response = await send(`${server.url}/half`, {}, { timeoutMs: 1500 });
      assert.equal(response.status, 200);
      const error = await response.text().then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof HttpError);
      assert.equal(error.code, 'timeout');
    } finally {
      await server.close();
    }
  });

  it('maps a refused connection to `unreachable` with a host-free message and keeps the cause', async () => {
    const server = await startServer(() => {});
    const { url } = server;
    await server.close();
    const error = await failure(request(`${url}/x`, {}, { timeoutMs: 5000 }));
    assert.equal(error.code, 'unreachable');
    assert.equal(error.message, 'connection refused');
    assert.ok(error.cause instanceof Error);
    assert.doesNotMatch(error.message, /127\.0\.0\.1/);
  });

  it('postForm sends a urlencoded form under a timeout and a size limit (the introspection shape)', async () => {
    const server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"active":false}'));
    try {
      const answer = await postForm(
        `${server.url}/oauth2/introspect`,
        { token: 'a b&c', token_type_hint: 'access_token' },
        { timeoutMs: 5000, maxResponseBytes: 64 * 1024 },
      );
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.text), { active: false });
      assert.equal(server.seen[0]?.method, 'POST');
      assert.equal(server.seen[0]?.body, 'token=a+b%26c&token_type_hint=access_token');
      assert.equal(server.seen[0]?.authorization, undefined);
    } finally {
      await server.close();
    }
  });
});
