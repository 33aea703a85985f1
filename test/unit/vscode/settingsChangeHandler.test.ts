import assert from 'node:assert/strict';
import type { LensesSession } from '../../../src/vscode/account/oauthPort';
import { readSettings, SettledLensesUrl } from '../../../src/vscode/settings';
import { SettingsChangeHandler, URL_SETTLE_MS } from '../../../src/vscode/settingsChangeHandler';
import { session } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';

const HQ = 'https://hq.example.com';

/** Timers run by hand: `elapse(ms)` runs those due. */
class ManualTimers {
  private now = 0;
  private timers: Array<{ at: number; run: () => void; live: boolean }> = [];

  readonly setTimer = (run: () => void, ms: number) => {
    const timer = { at: this.now + ms, run, live: true };
    this.timers.push(timer);
    return { dispose: () => (timer.live = false) };
  };

  async elapse(ms: number): Promise<void> {
    this.now += ms;
    for (const timer of this.timers.filter((candidate) => candidate.live && candidate.at <= this.now)) {
      timer.live = false;
      timer.run();
    }
    // Let the handler's async work finish.
    for (let turn = 0; turn < 20; turn += 1) await Promise.resolve();
  }
}

/**
 * The handler as the extension wires it: settings read through SettledLensesUrl, a session
 * that is kept while the URL in use is its HQ's (the provider's `accepts`). `after` overrides
 * what reconcile leaves (undefined = set aside) for the non-URL cases.
 */
function wired(options: { url?: string; mcpFails?: boolean } = {}) {
  const values: Record<string, unknown> = { 'lenses.url': options.url ?? HQ };
  const settled = new SettledLensesUrl();
  const raw = () => readSettings({ get: <T>(key: string) => values[key] as T | undefined });
  const url = () => settled.settle(raw()).url;
  const own = session();
  let kept: LensesSession | undefined = own;
  const seen: string[] = [];
  const logger = new RecordingLogger();
  const timers = new ManualTimers();
  const handler = new SettingsChangeHandler({
    auth: {
      currentSession: async () => kept,
      reconcile: async () => {
        seen.push('reconcile');
        kept = url() === HQ ? own : undefined;
      },
    },
    mcp: {
      configurationChanged: async (affects) => {
        seen.push(`mcp lenses.url=${affects('lenses.url')} lenses.mcp.url=${affects('lenses.mcp.url')}`);
        if (options.mcpFails) throw new Error('no definitions');
      },
    },
    views: { refresh: () => seen.push('views') },
    hqUrl: url,
    acceptUrl: () => settled.accept(raw().url),
    announceSetAside: async (set, hqUrl, urlChanged) => void seen.push(`set aside ${set.id}, now ${hqUrl} (url changed: ${urlChanged})`),
    logger,
    setTimer: timers.setTimer,
  });
  url(); // activation reads the settings once
  /** Saves lenses.url as the Settings editor does after a pause in typing, `pauseMs` later the next. */
  const save = async (value: string, pauseMs = 300) => {
    values['lenses.url'] = value;
    await handler.configurationChanged(affecting('lenses.url'));
    await timers.elapse(pauseMs);
  };
  const change = async (...sections: string[]) => handler.configurationChanged(affecting(...sections));
  return { save, change, seen, url, logger, timers, session: () => kept };
}

const affecting =
  (...sections: string[]) =>
  (section: string) =>
    sections.some((changed) => changed === section || changed.startsWith(`${section}.`));

describe('SettingsChangeHandler (lenses.* settings changed)', () => {
  it('a lenses.url change to another HQ that sets the session aside says so once, then the MCP definitions and views follow', async () => {
    const edit = wired();
    await edit.save('https://other-hq.example.com', URL_SETTLE_MS);
    assert.deepEqual(edit.seen, [
      'reconcile',
      'set aside session-1, now https://other-hq.example.com (url changed: true)',
      'mcp lenses.url=true lenses.mcp.url=false',
      'views',
    ]);
  });

  it('a change that keeps the session announces nothing', async () => {
    const edit = wired();
    await edit.change('lenses.mcp.url');
    assert.deepEqual(edit.seen, ['reconcile', 'mcp lenses.url=false lenses.mcp.url=true', 'views']);
  });

  it('a change outside lenses.* does nothing', async () => {
    const edit = wired();
    await edit.change('editor.fontSize');
    assert.deepEqual(edit.seen, []);
  });

  it('a failure is logged with its reason and the views are still refreshed', async () => {
    const edit = wired({ mcpFails: true });
    await edit.change('lenses.oauth.scopes');
    assert.deepEqual(edit.seen, ['reconcile', 'mcp lenses.url=false lenses.mcp.url=false', 'views']);
    assert.match(edit.logger.text, /Could not apply the new Lenses settings: no definitions/);
  });

  describe('lenses.url being edited (issue 23)', () => {
    it('clearing the field and typing the address again, half-typed URLs included, keeps the session and the server as they were, and says nothing', async () => {
      const edit = wired();
      for (const typed of ['', 'h', 'https:', 'https://', 'https://h', 'https://hq.example', `${HQ}/`, HQ]) await edit.save(typed);
      await edit.timers.elapse(URL_SETTLE_MS);
      assert.deepEqual(edit.seen, [], 'nothing set aside, nothing told to the server');
      assert.ok(edit.session(), 'still signed in');
      assert.equal(edit.url(), HQ);
    });

    it('while the field holds no URL, the address in use stays, however long it is left so', async () => {
      const edit = wired();
      await edit.save('', URL_SETTLE_MS * 5);
      assert.equal(edit.url(), HQ);
      await edit.save('lenses.example', URL_SETTLE_MS * 5);
      assert.equal(edit.url(), HQ);
      assert.deepEqual(edit.seen, []);
    });

    it('a half-typed URL is not used until the setting holds it for URL_SETTLE_MS', async () => {
      const edit = wired();
      await edit.save('https://other.example.com', URL_SETTLE_MS - 1);
      assert.equal(edit.url(), HQ);
      assert.deepEqual(edit.seen, []);
      await edit.timers.elapse(1);
      assert.equal(edit.url(), 'https://other.example.com');
      assert.equal(edit.session(), undefined);
    });

    it('going back to the first HQ brings its session back without a second notice', async () => {
      const edit = wired();
      await edit.save('https://other.example.com', URL_SETTLE_MS);
      await edit.save(HQ, URL_SETTLE_MS);
      assert.deepEqual(edit.seen, [
        'reconcile',
        'set aside session-1, now https://other.example.com (url changed: true)',
        'mcp lenses.url=true lenses.mcp.url=false',
        'views',
        'reconcile',
        'mcp lenses.url=true lenses.mcp.url=false',
        'views',
      ]);
      assert.ok(edit.session());
    });

    it('another setting changed while lenses.url is mid-edit is applied at once, without the URL', async () => {
      const edit = wired();
      edit.seen.length = 0;
      await edit.change('lenses.url', 'lenses.mcp.url');
      assert.deepEqual(edit.seen, ['reconcile', 'mcp lenses.url=false lenses.mcp.url=true', 'views']);
    });

    it('with no URL seen yet, an empty or broken value is used as it is (Sign In asks, or names the problem); the first URL is taken at once', () => {
      const settled = new SettledLensesUrl();
      const read = (url: string) => settled.settle(readSettings({ get: <T>(key: string) => ({ 'lenses.url': url })[key] as T | undefined })).url;
      assert.equal(read(''), '');
      assert.equal(read('lenses.example.com'), 'lenses.example.com');
      assert.equal(read(HQ), HQ);
      assert.equal(read(''), HQ);
      assert.equal(settled.accept('https://other.example.com'), true);
      assert.equal(read(''), 'https://other.example.com');
      assert.equal(settled.accept('not a url'), false);
      assert.equal(settled.accept('https://other.example.com'), false, 'the same URL again is no change');
    });
  });
});
