import assert from 'node:assert/strict';
import type { Authorization } from '../../../src/lenses/connectedApps';
import { LensesApiError, LensesConnectionError } from '../../../src/lenses/errors';
import type { ApplicationNode } from '../../../src/vscode/connectedApps/connectedApps';
import { ConnectedApplications, type ConnectedAppsUi, type ViewProblem } from '../../../src/vscode/connectedApps/connectedAppsModel';
import type { UserMessage } from '../../../src/vscode/userMessages';
import { session } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';
import type { LensesSession } from '../../../src/vscode/account/oauthPort';

class FakeAppsUi implements ConnectedAppsUi {
  confirm = true;
  confirmations: Array<{ message: string; detail: string }> = [];
  messages: Array<{ severity: string; message: UserMessage }> = [];
  progress = 0;
  empty: boolean | undefined;
  error: ViewProblem | undefined;
  async confirmRevoke(confirmation: { message: string; detail: string }) {
    this.confirmations.push(confirmation);
    return this.confirm;
  }
  async withViewProgress<T>(task: () => Promise<T>) {
    this.progress++;
    return task();
  }
  showMessage(severity: 'error' | 'info', message: UserMessage) {
    this.messages.push({ severity, message });
  }
  setEmpty(empty: boolean) {
    this.empty = empty;
  }
  setError(problem: ViewProblem | undefined) {
    this.error = problem;
  }
}

function model(options: { session?: LensesSession; authorizations?: Authorization[] | Error; now?: () => number } = {}) {
  const ui = new FakeAppsUi();
  const calls: string[] = [];
  const ended: Array<[string, string]> = [];
  let current: LensesSession | undefined = 'session' in options ? options.session : session();
  let authorizations = options.authorizations ?? [];
  const apps = new ConnectedApplications({
    currentSession: async () => current,
    hqUrl: () => 'https://hq.example.com',
    list: async (_hq, token) => {
      calls.push(`list ${token}`);
      if (authorizations instanceof Error) throw authorizations;
      return authorizations;
    },
    revoke: async (_hq, token, id) => {
      calls.push(`revoke ${id} ${token}`);
      if (Array.isArray(authorizations)) authorizations = authorizations.filter((a) => a.id !== id);
    },
    forgetSession: async (id) => {
      calls.push(`forget ${id}`);
      current = undefined;
    },
    endSession: async (cause, token) => {
      ended.push([cause, token]);
      current = undefined;
      return true;
    },
    ui,
    logger: new RecordingLogger(),
    now: options.now,
  });
  let changes = 0;
  apps.onDidChange(() => changes++);
  return { apps, ui, calls, ended, changes: () => changes };
}

const claude: Authorization = { id: 'g1', clientId: 'claude', name: 'Claude', scopes: ['read'] };
const ours: Authorization = { id: 'g2', clientId: 'client-vscode', name: 'Lenses MCP for VS Code', scopes: ['read', 'write', 'delete'] };

describe('ConnectedApplications', () => {
  it('lists nothing while signed out (the welcome shows) and does not call HQ', async () => {
    const { apps, calls } = model({ session: undefined });
    assert.deepEqual(await apps.nodes(), []);
    assert.deepEqual(calls, []);
  });

  it('loads once with progress in the view and marks our own grant', async () => {
    const { apps, ui, calls } = model({ authorizations: [claude, ours] });
    const nodes = await apps.nodes();
    await apps.nodes();
    assert.deepEqual(
      nodes.map((n) => n.label),
      ['Lenses MCP for VS Code', 'Claude'],
    );
    assert.equal(ui.progress, 1);
    assert.deepEqual(calls, ['list access-token-1']);
    assert.equal(ui.empty, false);
  });

  it('sets the empty state when no application holds a grant', async () => {
    const { apps, ui } = model({ authorizations: [] });
    assert.deepEqual(await apps.nodes(), []);
    assert.equal(ui.empty, true);
  });

  it("shows an HQ error as the view's welcome content (with Retry and Sign In), not a tree row; keeps the session", async () => {
    const { apps, ui, ended } = model({ authorizations: new LensesApiError(500, 'Internal Server Error', 'database down', undefined, [], undefined) });
    assert.deepEqual(await apps.nodes(), []);
    assert.deepEqual(ui.error, { kind: 'refused', text: 'Could not list applications: Lenses answered 500 Internal Server Error: database down' });
    assert.doesNotMatch(ui.error?.text ?? '', /\n\s+at /);
    assert.equal(ui.empty, false, 'not the "no applications" welcome');
    assert.deepEqual(ended, [], 'a 5xx does not end the session');
  });

  it('an unreachable HQ names the origin it tried and keeps the session', async () => {
    const { apps, ui, ended } = model({ authorizations: new LensesConnectionError('Could not reach Lenses at https://hq.example.com') });
    assert.deepEqual(await apps.nodes(), []);
    assert.deepEqual(ui.error, {
      kind: 'unreachable',
      text: 'Could not list applications: Lenses HQ at https://hq.example.com could not be reached. Check your network and lenses.url, then retry.',
    });
    assert.deepEqual(ended, []);
  });

  it('CL-19 a 401 from the list ends the session (no error message: the sign-in welcome shows)', async () => {
    const { apps, ui, ended } = model({
      authorizations: new LensesApiError(401, 'Unauthorized', 'A valid bearer token is required.', undefined, [], undefined),
    });
    assert.deepEqual(await apps.nodes(), []);
    assert.deepEqual(ended, [['unauthorized', 'access-token-1']]);
    assert.equal(ui.error, undefined);
  });

  it('CL-19 a 401 to a revoke ends the session too', async () => {
    const ui = new FakeAppsUi();
    const ended: string[] = [];
    const apps = new ConnectedApplications({
      currentSession: async () => session(),
      hqUrl: () => 'https://hq.example.com',
      list: async () => [claude],
      revoke: async () => {
        throw new LensesApiError(401, 'Unauthorized', undefined, undefined, [], undefined);
      },
      forgetSession: async () => undefined,
      endSession: async (cause, token) => {
        ended.push(`${cause} ${token}`);
        return true;
      },
      ui,
      logger: new RecordingLogger(),
    });
    const [node] = await apps.applications();
    assert.equal(await apps.revoke(node), false);
    assert.deepEqual(ended, ['unauthorized access-token-1']);
    assert.deepEqual(ui.messages, [], 'the session end tells the user, once');
  });

  it('a successful load clears an earlier error message', async () => {
    let failing = true;
    const ui = new FakeAppsUi();
    const flaky = new ConnectedApplications({
      currentSession: async () => session(),
      hqUrl: () => 'https://hq.example.com',
      list: async () => {
        if (failing) throw new LensesConnectionError('down');
        return [claude];
      },
      revoke: async () => undefined,
      forgetSession: async () => undefined,
      endSession: async () => true,
      ui,
      logger: new RecordingLogger(),
    });
    await flaky.nodes();
    assert.ok(ui.error);
    failing = false;
    flaky.refresh();
    assert.equal((await flaky.nodes()).length, 1);
    assert.equal(ui.error, undefined);
  });

  it('reloads on visibility or focus at most once per 30 s', async () => {
    let now = 1_000_000;
    const { apps, calls, changes } = model({ authorizations: [claude], now: () => now });
    assert.equal(apps.refreshIfStale(), true, 'never loaded: load');
    await apps.nodes();
    now += 10_000;
    assert.equal(apps.refreshIfStale(), false, 'loaded 10 s ago');
    await apps.nodes();
    now += 20_001;
    assert.equal(apps.refreshIfStale(), true, 'loaded over 30 s ago');
    await apps.nodes();
    assert.equal(calls.length, 2);
    assert.equal(changes(), 2);
  });

  it('refresh reloads and tells the view', async () => {
    const { apps, calls, changes } = model({ authorizations: [claude] });
    await apps.nodes();
    apps.refresh();
    await apps.nodes();
    assert.equal(changes(), 1);
    assert.equal(calls.length, 2);
  });

  it('revokes another app after confirmation, keeps us signed in, and refreshes', async () => {
    const { apps, ui, calls } = model({ authorizations: [claude, ours] });
    const node = (await apps.applications()).find((n) => n.label === 'Claude') as ApplicationNode;
    assert.equal(await apps.revoke(node), true);
    assert.deepEqual(ui.confirmations, [
      { message: 'Revoke access for "Claude"?', detail: '"Claude" will lose its read access to your Lenses account and must ask again to use it.' },
    ]);
    assert.ok(calls.includes('revoke g1 access-token-1'));
    assert.ok(!calls.some((c) => c.startsWith('forget')));
    assert.deepEqual(
      (await apps.nodes()).map((n) => n.label),
      ['Lenses MCP for VS Code'],
    );
  });

  it("revoking this VS Code's own grant signs it out", async () => {
    const { apps, calls } = model({ authorizations: [claude, ours] });
    const self = (await apps.applications()).find((n) => n.isSelf) as ApplicationNode;
    await apps.revoke(self);
    assert.deepEqual(calls.slice(1), ['revoke g2 access-token-1', 'forget session-1']);
    assert.deepEqual(await apps.nodes(), [], 'signed out: the welcome shows');
  });

  it('does nothing when the confirmation is dismissed', async () => {
    const { apps, ui, calls } = model({ authorizations: [claude] });
    ui.confirm = false;
    const [node] = await apps.applications();
    assert.equal(await apps.revoke(node), false);
    assert.deepEqual(calls, ['list access-token-1']);
  });

  it('reports a failed revoke with a message and Show Logs', async () => {
    const { apps, ui } = model({ authorizations: [claude] });
    const [node] = await apps.applications();
    const failing = new ConnectedApplications({
      currentSession: async () => session(),
      hqUrl: () => 'https://hq',
      list: async () => [claude],
      revoke: async () => {
        throw new LensesApiError(404, 'Not Found', 'No such authorization', undefined, [], undefined);
      },
      forgetSession: async () => undefined,
      endSession: async () => true,
      ui,
      logger: new RecordingLogger(),
    });
    assert.equal(await failing.revoke(node), false);
    assert.equal(ui.messages.at(-1)?.message.text, 'Could not revoke "Claude": Lenses answered 404 Not Found: No such authorization');
    assert.deepEqual(ui.messages.at(-1)?.message.actions, ['showLogs']);
  });
});
