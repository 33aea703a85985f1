import assert from 'node:assert/strict';
import { IntrospectionUnavailableError } from '../../../src/mcp/auth/introspection';
import { introspectionEndpointFromMetadata } from '../../../src/mcp/auth/introspectionEndpoint';
import { urlOf } from '../../support/requestUrl';

const HQ = 'https://hq.example.test';

/** A fetch serving `metadata` at the RFC 8414 well-known URL of HQ (and recording what was asked). */
function metadataAt(metadata: Record<string, unknown> | undefined) {
  const asked: string[] = [];
  const fetchImpl: typeof fetch = async (url, init) => {
    asked.push(urlOf(url));
    assert.equal(init?.redirect, 'manual');
    return urlOf(url) === `${HQ}/.well-known/oauth-authorization-server` && metadata ? Response.json(metadata) : new Response('not found', { status: 404 });
  };
  return { fetch: fetchImpl, asked };
}

const refusedWith = (pattern: RegExp) => (error: unknown) => error instanceof IntrospectionUnavailableError && pattern.test(error.message);

describe("introspectionEndpointFromMetadata (the embedded server's introspection endpoint)", () => {
  it("is the introspection_endpoint HQ's RFC 8414 metadata names", async () => {
    const hq = metadataAt({ issuer: HQ, introspection_endpoint: `${HQ}/custom/introspect` });
    assert.equal(await introspectionEndpointFromMetadata(`${HQ}/`, { fetch: hq.fetch }), `${HQ}/custom/introspect`);
    assert.deepEqual(hq.asked, [`${HQ}/.well-known/oauth-authorization-server`]);
  });

  it("refuses an endpoint on another origin: the request would carry the user's token there", async () => {
    const hq = metadataAt({ issuer: HQ, introspection_endpoint: 'https://collector.example.test/introspect' });
    await assert.rejects(
      introspectionEndpointFromMetadata(HQ, { fetch: hq.fetch }),
      refusedWith(/is not on https:\/\/hq\.example\.test; refusing to send tokens there/),
    );
  });

  it("falls back to Lenses' {issuer}/oauth2/introspect when the metadata names no introspection_endpoint, as the official server", async () => {
    assert.equal(await introspectionEndpointFromMetadata(HQ, { fetch: metadataAt({ issuer: HQ }).fetch }), `${HQ}/oauth2/introspect`);
  });

  it('refuses metadata of another issuer, an endpoint that is not a string, and no metadata at all, saying which', async () => {
    await assert.rejects(
      introspectionEndpointFromMetadata(HQ, { fetch: metadataAt({ issuer: 'https://other.example.test', introspection_endpoint: `${HQ}/i` }).fetch }),
      refusedWith(/names another issuer/),
    );
    await assert.rejects(
      introspectionEndpointFromMetadata(HQ, { fetch: metadataAt({ issuer: HQ, introspection_endpoint: 42 }).fetch }),
      refusedWith(/introspection_endpoint that is not a string/),
    );
    const none = metadataAt(undefined);
    await assert.rejects(introspectionEndpointFromMetadata(HQ, { fetch: none.fetch }), refusedWith(/publishes no OAuth metadata/));
    assert.deepEqual(none.asked, [`${HQ}/.well-known/oauth-authorization-server`, `${HQ}/.well-known/openid-configuration`]);
  });
});
