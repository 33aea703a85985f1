import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { haproxySessionfulConfig, nginxSessionfulConfig, nginxStatelessConfig } from './loadBalancer';

/**
 * The load-balancer configurations the docs show are the ones the replica tests run
 * (`replicas.test.ts` starts nginx and HAProxy with these same builders), for the docs'
 * three replicas `mcp-0…2.mcp:8000` listening on port 80.
 */
const ROOT = path.resolve(__dirname, '../../..');
const REPLICAS = ['mcp-0', 'mcp-1', 'mcp-2'].map((id) => ({ id, address: `${id}.mcp:8000` }));

function documentedBlocks(language: string): string[] {
  const docs = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).map((name) => `docs/${name}`)].filter((file) => file.endsWith('.md'));
  const fence = new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```', 'g');
  return docs.flatMap((file) => [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(fence)].map((match) => match[1]));
}

describe('Load-balancer configurations in the docs', () => {
  it('shows the tested nginx configurations, stateless and sessionful, and nothing else', () => {
    assert.deepEqual(
      documentedBlocks('nginx').sort(),
      [
        nginxSessionfulConfig(REPLICAS, '80'),
        nginxStatelessConfig(
          REPLICAS.map((replica) => replica.address),
          '80',
        ),
      ].sort(),
    );
  });

  it('shows the tested HAProxy configuration', () => {
    assert.deepEqual(documentedBlocks('haproxy'), [haproxySessionfulConfig(REPLICAS, '*:80')]);
  });
});
