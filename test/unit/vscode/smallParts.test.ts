import assert from 'node:assert/strict';
import { ALL_SCOPES } from '../../../src/scopes';
import { readSettings } from '../../../src/vscode/settings';
import { StandaloneServerCopy } from '../../../src/vscode/standaloneServerCopy';
import { EditorSessionSource } from '../../../src/vscode/sessionSource';
import { statusBarContent } from '../../../src/vscode/statusBar';
import { AuthCallbackHandler } from '../../../src/vscode/uriCallback';
import { RecordingLogger, session } from './fakes';

describe('StandaloneServerCopy', () => {
  function fakeFs(existing: string[] = []) {
    const files = new Set(existing);
    const copies: Array<[string, string]> = [];
    return {
      files,
      copies,
      fs: {
        createDirectory: async () => undefined,
        copy: async (from: string, to: string) => void (copies.push([from, to]), files.add(to)),
        exists: async (path: string) => files.has(path),
      },
    };
  }

  it('installs the bundled server into global storage, where updates of the extension do not move it', async () => {
    const { fs, copies } = fakeFs();
    const copy = new StandaloneServerCopy(fs, '/ext/lenses-0.1.0/dist/lenses-mcp.js', '/storage/lenses', new RecordingLogger());
    assert.equal(await copy.install(), '/storage/lenses/lenses-mcp.js');
    assert.deepEqual(copies, [['/ext/lenses-0.1.0/dist/lenses-mcp.js', '/storage/lenses/lenses-mcp.js']]);
  });

  it('on activation refreshes a copy made earlier, and makes none that was never asked for', async () => {
    const fresh = fakeFs();
    await new StandaloneServerCopy(fresh.fs, '/ext/b', '/storage', new RecordingLogger()).refreshIfInstalled();
    assert.deepEqual(fresh.copies, []);
    const earlier = fakeFs(['/storage/lenses-mcp.js']);
    await new StandaloneServerCopy(earlier.fs, '/ext/new/dist/lenses-mcp.js', '/storage', new RecordingLogger()).refreshIfInstalled();
    assert.deepEqual(earlier.copies, [['/ext/new/dist/lenses-mcp.js', '/storage/lenses-mcp.js']]);
  });
});

describe('settings', () => {
  const reader = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

  it('defaults: no URL, all scopes, no client id, secure HTTP only, embedded server', () => {
    assert.deepEqual(readSettings(reader({})), { url: '', scopes: [...ALL_SCOPES], clientId: '', clientMetadataUrl: '', allowInsecureHttp: false, mcpUrl: '', maxToolOutputChars: 24_000 });
  });

  it('trims the URL, keeps known scopes in canonical order', () => {
    const read = readSettings(reader({ 'lenses.url': ' https://hq.example.com/ ', 'lenses.oauth.scopes': ['delete', 'read', 'admin'] }));
    assert.equal(read.url, 'https://hq.example.com');
    assert.deepEqual(read.scopes, ['read', 'delete']);
  });
});

describe('status bar', () => {
  it('shows the account and granted scopes when signed in', () => {
    const content = statusBarContent(session({ scopes: ['read', 'write'] }), 'https://hq.example.com');
    assert.equal(content.text, '$(account) alice · read write');
    assert.match(content.tooltip, /alice/);
    assert.doesNotMatch(content.tooltip, /access-token/);
  });

  it('offers sign-in when signed out', () => {
    assert.deepEqual(statusBarContent(undefined, ''), { text: '$(sign-in) Sign in to Lenses', tooltip: 'Lenses: not signed in. Click to sign in.', command: 'lenses.signIn' });
  });
});

describe('EditorSessionSource', () => {
  it('hands the embedded server the refreshed session, and no scopes (so no tools) while signed out', async () => {
    let current: ReturnType<typeof session> | undefined = session({ scopes: ['read'] });
    const source = new EditorSessionSource({ validCurrentSession: async () => current, showSessionEnded: async () => undefined, logger: new RecordingLogger() });
    assert.deepEqual(await source.currentSession(), { accessToken: 'access-token-1', scopes: ['read'] });
    current = undefined;
    assert.equal(await source.currentSession(), undefined);
    assert.deepEqual(source.signedOutScopes(), []);
  });

  it('shows at most one "session ended" notification at a time', async () => {
    let shown = 0;
    let close: () => void = () => undefined;
    const source = new EditorSessionSource({
      validCurrentSession: async () => undefined,
      showSessionEnded: () => {
        shown++;
        return new Promise<void>((resolve) => (close = resolve));
      },
      logger: new RecordingLogger(),
    });
    source.sessionLost('tool call while signed out');
    source.sessionLost('tool call while signed out');
    assert.equal(shown, 1);
    close();
    await new Promise((resolve) => setImmediate(resolve));
    source.sessionLost('HQ rejected the token');
    assert.equal(shown, 2);
  });
});

describe('AuthCallbackHandler (remote windows)', () => {
  const uri = (path: string, query: string) => ({ scheme: 'vscode', authority: 'lenses-community.lenses-mcp', path, query });

  it('delivers the /auth-callback query to the waiting sign-in', async () => {
    const handler = new AuthCallbackHandler();
    const waiting = handler.waitForCallback(new AbortController().signal, 'xyz');
    handler.handleUri(uri('/auth-callback', 'code=abc&state=xyz&iss=https%3A%2F%2Fhq.example.com'));
    const url = await waiting;
    assert.equal(url.searchParams.get('code'), 'abc');
    assert.equal(url.searchParams.get('state'), 'xyz');
    assert.equal(url.searchParams.get('iss'), 'https://hq.example.com');
  });

  it('CL-06 ignores other paths and a second callback', async () => {
    const handler = new AuthCallbackHandler();
    const waiting = handler.waitForCallback(new AbortController().signal, 's');
    handler.handleUri(uri('/other', 'code=wrong&state=s'));
    handler.handleUri(uri('/auth-callback', 'code=first&state=s'));
    handler.handleUri(uri('/auth-callback', 'code=second&state=s'));
    assert.equal((await waiting).searchParams.get('code'), 'first');
  });

  it('rejects when the sign-in is cancelled', async () => {
    const handler = new AuthCallbackHandler();
    const controller = new AbortController();
    const waiting = handler.waitForCallback(controller.signal, 's');
    controller.abort();
    await assert.rejects(waiting);
    handler.handleUri(uri('/auth-callback', 'code=late'));
  });

  it('builds the uri redirect strategy', () => {
    const strategy = new AuthCallbackHandler().strategy('vscode://lenses-community.lenses-mcp/auth-callback');
    assert.equal(strategy.kind, 'uri');
    assert.equal(strategy.kind === 'uri' && strategy.redirectUri, 'vscode://lenses-community.lenses-mcp/auth-callback');
  });
});
