import assert from 'node:assert/strict';
import type { LensesSession } from '../../../src/vscode/oauthPort';
import { readSettings, SettledLensesUrl } from '../../../src/vscode/settings';
import { SettingsChangeHandler } from '../../../src/vscode/settingsChangeHandler';
import { RecordingLogger, session } from './fakes';

/** The handler over fakes: `after` is the session once reconcile ran (undefined = set aside). */
function handlerWith(options: { before?: LensesSession; after?: LensesSession; mcpFails?: boolean }) {
  let current = options.before;
  let hqUrl = 'https://hq.example.com';
  const seen: string[] = [];
  const logger = new RecordingLogger();
  const handler = new SettingsChangeHandler({
    auth: {
      currentSession: async () => current,
      reconcile: async () => {
        seen.push('reconcile');
        current = options.after;
      },
    },
    mcp: {
      configurationChanged: async (affects) => {
        seen.push(`mcp lenses.mcp.url=${affects('lenses.mcp.url')}`);
        if (options.mcpFails) throw new Error('no definitions');
      },
    },
    views: { refresh: () => seen.push('views') },
    hqUrl: () => hqUrl,
    announceSetAside: async (set, hqUrl, urlChanged) => {
      seen.push(`set aside ${set.id} for ${hqUrl} (url changed: ${urlChanged})`);
    },
    logger,
  });
  const pointAt = (url: string) => (hqUrl = url);
  return { handler, seen, logger, pointAt };
}

const affecting =
  (...sections: string[]) =>
  (section: string) =>
    sections.some((changed) => changed === section || changed.startsWith(`${section}.`));

describe('SettingsChangeHandler (lenses.* settings changed)', () => {
  it('a lenses.url change that sets the session aside says so once, then the MCP definitions and views follow', async () => {
    const { handler, seen, pointAt } = handlerWith({ before: session(), after: undefined });
    pointAt('https://other-hq.example.com');
    await handler.configurationChanged(affecting('lenses.url'));
    assert.deepEqual(seen, ['reconcile', 'set aside session-1 for https://other-hq.example.com (url changed: true)', 'mcp lenses.mcp.url=false', 'views']);
  });

  it('a change that keeps the session announces nothing', async () => {
    const { handler, seen } = handlerWith({ before: session(), after: session() });
    await handler.configurationChanged(affecting('lenses.mcp.url'));
    assert.deepEqual(seen, ['reconcile', 'mcp lenses.mcp.url=true', 'views']);
  });

  it('a change outside lenses.* does nothing', async () => {
    const { handler, seen } = handlerWith({ before: session(), after: undefined });
    await handler.configurationChanged(affecting('editor.fontSize'));
    assert.deepEqual(seen, []);
  });

  it('a failure is logged with its reason and the views are still refreshed', async () => {
    const { handler, seen, logger } = handlerWith({ before: session(), after: session(), mcpFails: true });
    await handler.configurationChanged(affecting('lenses.oauth.scopes'));
    assert.deepEqual(seen, ['reconcile', 'mcp lenses.mcp.url=false', 'views']);
    assert.match(logger.text, /Could not apply the new Lenses settings: no definitions/);
  });

  describe('lenses.url being edited (issue 23)', () => {
    const HQ = 'https://hq.example.com';

    /**
     * The handler as the extension wires it: the settings read through SettledLensesUrl, a
     * session that is kept while the URL in use is its HQ's (the provider's `accepts`).
     */
    function editing(initial: string) {
      const values: Record<string, unknown> = { 'lenses.url': initial };
      const settled = new SettledLensesUrl();
      const url = () => settled.settle(readSettings({ get: <T>(key: string) => values[key] as T | undefined })).url;
      const own = session();
      let kept: LensesSession | undefined = own;
      const seen: string[] = [];
      const handler = new SettingsChangeHandler({
        auth: {
          currentSession: async () => kept,
          reconcile: async () => {
            kept = url() === HQ ? own : undefined;
          },
        },
        mcp: { configurationChanged: async (affects) => void seen.push(`mcp lenses.url=${affects('lenses.url')}`) },
        views: { refresh: () => seen.push('views') },
        hqUrl: url,
        announceSetAside: async (_set, hqUrl) => void seen.push(`set aside, now ${hqUrl}`),
        logger: new RecordingLogger(),
      });
      const save = async (value: string) => {
        values['lenses.url'] = value;
        await handler.configurationChanged(affecting('lenses.url'));
      };
      return { save, seen, url, session: () => kept };
    }

    it('clearing the field and typing the address again keeps the session and the server as they were, and says nothing', async () => {
      const edit = editing(HQ);
      for (const keystroke of ['', 'h', 'https:', 'https://', 'hq.example', `${HQ}/`, HQ]) await edit.save(keystroke);
      assert.deepEqual(edit.seen, [], 'nothing set aside, nothing told to the server');
      assert.ok(edit.session(), 'still signed in');
      assert.equal(edit.url(), HQ);
    });

    it('while the field holds no URL, the last valid address stays in use (sign-in, tools, views)', async () => {
      const edit = editing(HQ);
      await edit.save('lenses.example');
      assert.equal(edit.url(), HQ);
      await edit.save('');
      assert.equal(edit.url(), HQ);
    });

    it('another valid HQ sets the session aside as before, once the address is complete', async () => {
      const edit = editing(HQ);
      for (const keystroke of ['', 'https://', 'https://other.example.com']) await edit.save(keystroke);
      assert.deepEqual(edit.seen, ['set aside, now https://other.example.com', 'mcp lenses.url=true', 'views']);
      assert.equal(edit.session(), undefined);
    });

    it('going back to the first HQ brings its session back without a second notice', async () => {
      const edit = editing(HQ);
      await edit.save('https://other.example.com');
      await edit.save(HQ);
      assert.deepEqual(edit.seen, ['set aside, now https://other.example.com', 'mcp lenses.url=true', 'views', 'mcp lenses.url=true', 'views']);
      assert.ok(edit.session());
    });

    it('with no valid address seen yet, an empty or broken one is used as it is (Sign In asks, or names the problem)', async () => {
      const settled = new SettledLensesUrl();
      const read = (url: string) => settled.settle(readSettings({ get: <T>(key: string) => ({ 'lenses.url': url })[key] as T | undefined })).url;
      assert.equal(read(''), '');
      assert.equal(read('lenses.example.com'), 'lenses.example.com');
      assert.equal(read(HQ), HQ);
      assert.equal(read(''), HQ);
    });
  });
});
