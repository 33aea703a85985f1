import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SCOPES } from '../../../src/scopes';
import { lensesUrlProblem, readSettings } from '../../../src/vscode/settings';
import { StandaloneServerCopy } from '../../../src/vscode/mcp/standaloneServerCopy';
import { EditorSessionSource } from '../../../src/vscode/account/sessionSource';
import { ACCOUNT_MENU, STATUS_BAR_NAME, statusBarContent } from '../../../src/vscode/account/statusBar';
import { AuthCallbackHandler } from '../../../src/vscode/account/uriCallback';
import { session } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';

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

  it('copies the OpenTelemetry chunk beside the server when the VSIX ships it, so OTEL_ENABLED works for the copy too', async () => {
    const { fs, copies } = fakeFs(['/ext/lenses-0.1.0/dist/lenses-mcp-otel.js']);
    await new StandaloneServerCopy(fs, '/ext/lenses-0.1.0/dist/lenses-mcp.js', '/storage/lenses', new RecordingLogger()).install();
    assert.deepEqual(copies, [
      ['/ext/lenses-0.1.0/dist/lenses-mcp.js', '/storage/lenses/lenses-mcp.js'],
      ['/ext/lenses-0.1.0/dist/lenses-mcp-otel.js', '/storage/lenses/lenses-mcp-otel.js'],
    ]);
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
    assert.deepEqual(readSettings(reader({})), {
      url: '',
      scopes: [...ALL_SCOPES],
      clientId: '',
      clientMetadataUrl: '',
      allowInsecureHttp: false,
      mcpUrl: '',
      maxToolOutputChars: 24_000,
    });
  });

  it('trims the URL, keeps known scopes in canonical order', () => {
    const read = readSettings(reader({ 'lenses.url': ' https://hq.example.com/ ', 'lenses.oauth.scopes': ['delete', 'read', 'admin'] }));
    assert.equal(read.url, 'https://hq.example.com');
    assert.deepEqual(read.scopes, ['read', 'delete']);
  });

  it('tells a Lenses HQ URL from a non-URL the way the settings pattern does', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { pattern?: string }> } };
    };
    const pattern = new RegExp(manifest.contributes.configuration.properties['lenses.url'].pattern ?? '');
    for (const good of ['https://lenses.example.com', 'http://127.0.0.1:9991', 'https://hq.example.com/lenses']) {
      assert.equal(lensesUrlProblem(good), undefined, good);
      assert.ok(pattern.test(good), good);
    }
    for (const bad of ['lenses.example.com', 'ftp://hq.example.com', 'https://', 'not a url']) {
      assert.ok(lensesUrlProblem(bad), bad);
      assert.ok(!pattern.test(bad), bad);
    }
    assert.ok(pattern.test(''), 'unset is allowed');
    assert.match(lensesUrlProblem('lenses.example.com') ?? '', /"lenses\.example\.com" is not an absolute URL/);
  });
});

describe('status bar', () => {
  it('shows the account and granted scopes when signed in', () => {
    const content = statusBarContent(session({ scopes: ['read', 'write'] }), 'https://hq.example.com');
    assert.equal(content.text, '$(account) alice · read write');
    assert.match(content.tooltip, /alice/);
    assert.doesNotMatch(content.tooltip, /access-token/);
  });

  it('offers sign-in when signed out, without the warning colour', () => {
    assert.deepEqual(statusBarContent(undefined, ''), {
      text: '$(sign-in) Lenses: Sign In',
      tooltip: 'Lenses: not signed in. Click to sign in.',
      command: 'lenses.signIn',
      warning: false,
    });
  });

  it('CL-19 shows "Lenses: Sign In" in the warning colour after HQ ended the session, and says why', () => {
    const content = statusBarContent(undefined, 'https://hq.example.com', { account: 'alice', cause: 'inactive', at: 1 });
    assert.equal(content.text, '$(warning) Lenses: Sign In');
    assert.equal(content.warning, true);
    assert.equal(content.command, 'lenses.signIn');
    assert.match(content.tooltip, /no longer accepts your session.*alice was signed out/);
  });

  it('a click while signed in opens the account menu: Change Granted Scopes…, Connected Applications, Show Logs, Sign Out', () => {
    assert.equal(statusBarContent(session(), '').command, 'lenses.accountMenu');
    assert.deepEqual(
      ACCOUNT_MENU.map((entry) => entry.label.replace(/^\$\([\w-]+\) /, '')),
      ['Change Granted Scopes…', 'Connected Applications', 'Show Logs', 'Sign Out'],
    );
    assert.deepEqual(
      ACCOUNT_MENU.map((entry) => entry.command),
      ['lenses.changeScopes', 'lenses.connectedApplications.focus', 'lenses.showLogs', 'lenses.signOut'],
    );
    assert.equal(STATUS_BAR_NAME, 'Lenses');
  });
});

describe('EditorSessionSource', () => {
  it('hands the embedded server the refreshed session, and no scopes (so no tools) while signed out', async () => {
    let current: ReturnType<typeof session> | undefined = session({ scopes: ['read'] });
    let hqUrl = 'https://hq.example.com';
    const source = new EditorSessionSource({
      validCurrentSession: async () => current,
      hqUrl: () => hqUrl,
      endSession: async () => true,
      showSignInNeeded: async () => undefined,
      logger: new RecordingLogger(),
    });
    assert.deepEqual(
      await source.currentSession(),
      { accessToken: 'access-token-1', scopes: ['read'], hqUrl: 'https://hq.example.com', account: 'alice' },
      'with the HQ its token is for, and the account audit records name',
    );
    hqUrl = 'https://other.example.com';
    assert.equal(await source.currentSession(), undefined, 'CL-16: a session of another HQ is never handed out with this one');
    hqUrl = 'https://hq.example.com';
    current = undefined;
    assert.equal(await source.currentSession(), undefined);
    assert.deepEqual(source.signedOutScopes(), []);
  });

  it('shows at most one "sign in" notification at a time', async () => {
    const shown: string[] = [];
    let close: () => void = () => undefined;
    const source = new EditorSessionSource({
      validCurrentSession: async () => undefined,
      hqUrl: () => 'https://hq.example.com',
      endSession: async () => true,
      showSignInNeeded: (text) => {
        shown.push(text);
        return new Promise<void>((resolve) => (close = resolve));
      },
      logger: new RecordingLogger(),
    });
    source.sessionEnded({ account: 'alice', cause: 'unauthorized', at: 1 });
    source.sessionLost('tool call while signed out');
    assert.deepEqual(shown, [
      'Lenses HQ no longer accepts your session (HTTP 401: revoked, or unknown to HQ): alice was signed out. Sign in again to keep using the Lenses tools.',
    ]);
    close();
    await new Promise((resolve) => setImmediate(resolve));
    source.sessionLost('tool call while signed out');
    assert.equal(shown.at(-1), 'You are not signed in to Lenses. Sign in to use the Lenses tools.');
  });

  it('CL-19 a token HQ rejects ends the session that holds it', async () => {
    const ended: Array<[string, string]> = [];
    const source = new EditorSessionSource({
      validCurrentSession: async () => undefined,
      hqUrl: () => 'https://hq.example.com',
      endSession: async (cause, token) => {
        ended.push([cause, token]);
        return true;
      },
      showSignInNeeded: async () => undefined,
      logger: new RecordingLogger(),
    });
    source.sessionRejected('tok-1', 'inactive');
    source.sessionRejected('tok-1', 'unauthorized');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ended, [
      ['inactive', 'tok-1'],
      ['unauthorized', 'tok-1'],
    ]);
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

  it('CL-06 rejects when the sign-in is cancelled; the late callback is dropped, not handed to the next sign-in', async () => {
    const handler = new AuthCallbackHandler();
    const controller = new AbortController();
    const waiting = handler.waitForCallback(controller.signal, 's');
    controller.abort();
    await assert.rejects(waiting, (error: unknown) => error instanceof Error && error.name === 'AbortError');
    handler.handleUri(uri('/auth-callback', 'code=late&state=s'));
    const next = handler.waitForCallback(new AbortController().signal, 's');
    handler.handleUri(uri('/auth-callback', 'code=fresh&state=s'));
    assert.equal((await next).searchParams.get('code'), 'fresh');
  });

  it('builds the uri redirect strategy', () => {
    const strategy = new AuthCallbackHandler().strategy('vscode://lenses-community.lenses-mcp/auth-callback');
    assert.equal(strategy.kind, 'uri');
    assert.equal(strategy.kind === 'uri' && strategy.redirectUri, 'vscode://lenses-community.lenses-mcp/auth-callback');
  });
});
