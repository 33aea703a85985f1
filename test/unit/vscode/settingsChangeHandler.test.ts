import assert from 'node:assert/strict';
import type { LensesSession } from '../../../src/vscode/oauthPort';
import { SettingsChangeHandler } from '../../../src/vscode/settingsChangeHandler';
import { RecordingLogger, session } from './fakes';

/** The handler over fakes: `after` is the session once reconcile ran (undefined = set aside). */
function handlerWith(options: { before?: LensesSession; after?: LensesSession; mcpFails?: boolean }) {
  let current = options.before;
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
    hqUrl: () => 'https://other-hq.example.com',
    announceSetAside: async (set, hqUrl, urlChanged) => {
      seen.push(`set aside ${set.id} for ${hqUrl} (url changed: ${urlChanged})`);
    },
    logger,
  });
  return { handler, seen, logger };
}

const affecting =
  (...sections: string[]) =>
  (section: string) =>
    sections.some((changed) => changed === section || changed.startsWith(`${section}.`));

describe('SettingsChangeHandler (lenses.* settings changed)', () => {
  it('a lenses.url change that sets the session aside says so once, then the MCP definitions and views follow', async () => {
    const { handler, seen } = handlerWith({ before: session(), after: undefined });
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
});
