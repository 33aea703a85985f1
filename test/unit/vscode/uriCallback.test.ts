import assert from 'node:assert/strict';
import { AuthCallbackHandler } from '../../../src/vscode/account/uriCallback';

describe('AuthCallbackHandler: state (remote windows)', () => {
  const uri = (query: string) => ({ scheme: 'vscode', authority: 'lenses-community.lenses-mcp', path: '/auth-callback', query });

  it('CL-18 ignores a callback with a wrong or missing state and still delivers the real one', async () => {
    const ignored: string[] = [];
    const handler = new AuthCallbackHandler((reason) => ignored.push(reason));
    const waiting = handler.waitForCallback(new AbortController().signal, 'the-state');
    handler.handleUri(uri('code=forged&state=other'));
    handler.handleUri(uri('code=forged'));
    handler.handleUri(uri('code=real&state=the-state'));
    assert.equal((await waiting).searchParams.get('code'), 'real');
    assert.deepEqual(ignored, ['its state is wrong or missing', 'its state is wrong or missing']);
  });

  it('CL-18 a stray callback with nobody waiting is ignored and does not satisfy a later sign-in', async () => {
    const ignored: string[] = [];
    const handler = new AuthCallbackHandler((reason) => ignored.push(reason));
    handler.handleUri(uri('code=stray&state=the-state'));
    const controller = new AbortController();
    const waiting = handler.waitForCallback(controller.signal, 'the-state');
    assert.deepEqual(ignored, ['no sign-in is waiting']);
    controller.abort();
    await assert.rejects(waiting);
  });
});
