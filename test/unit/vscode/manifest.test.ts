import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND, CONNECTED_APPS_VIEW_ID, CONTEXT, VIEW_CONTAINER_ID } from '../../../src/vscode/commandIds';
import { AUTH_PROVIDER_ID } from '../../../src/vscode/account/authProvider';
import { MCP_PROVIDER_ID } from '../../../src/vscode/mcp/mcpProvider';

interface Manifest {
  icon: string;
  extensionKind: string[];
  contributes: {
    authentication: Array<{ id: string; label: string }>;
    mcpServerDefinitionProviders: Array<{ id: string; label: string }>;
    commands: Array<{ command: string; title: string; category: string }>;
    menus: Record<string, Array<{ command: string; when?: string; group?: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    views: Record<string, Array<{ id: string; name: string }>>;
    viewsWelcome: Array<{ view: string; contents: string; when: string }>;
    configuration: { properties: Record<string, { default: unknown; markdownDescription?: string; description?: string }> };
  };
}

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

describe('package.json contributions', () => {
  it('declares the providers the code registers', () => {
    assert.deepEqual(manifest.contributes.authentication, [{ id: AUTH_PROVIDER_ID, label: 'Lenses' }]);
    assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders, [{ id: MCP_PROVIDER_ID, label: 'Lenses' }]);
  });

  it('declares every command the code registers, in the one "Lenses" category', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(COMMAND).sort());
    for (const command of manifest.contributes.commands) assert.equal(command.category, 'Lenses', command.command);
    const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c.title]));
    assert.equal(titles[COMMAND.signIn], 'Sign In');
    assert.equal(titles[COMMAND.signOut], 'Sign Out');
    assert.equal(titles[COMMAND.showLogs], 'Show Logs');
    assert.equal(titles[COMMAND.copyMcpConfiguration], 'Copy MCP Configuration for Other Tools');
    assert.equal(titles[COMMAND.revokeApplicationFromPalette], 'Revoke Application…');
  });

  it('hides item-only commands from the palette', () => {
    const hidden = manifest.contributes.menus.commandPalette
      .filter((m) => m.when === 'false')
      .map((m) => m.command)
      .sort();
    assert.deepEqual(hidden, [COMMAND.accountMenu, COMMAND.copyClientId, COMMAND.revokeApplication].sort());
  });

  it('has the view container, the view and its welcome content', () => {
    assert.equal(manifest.contributes.viewsContainers.activitybar[0].id, VIEW_CONTAINER_ID);
    assert.equal(manifest.contributes.views[VIEW_CONTAINER_ID][0].id, CONNECTED_APPS_VIEW_ID);
    const signedOut = manifest.contributes.viewsWelcome.find((w) => w.when === `!${CONTEXT.signedIn}`);
    assert.match(signedOut?.contents ?? '', /\[Sign in to Lenses\]\(command:lenses\.signIn\)/);
    // One primary button: every other line with a link has text around it, so it renders as a link.
    const buttons = (signedOut?.contents ?? '').split('\n').filter((line) => /^\[[^\]]+\]\([^)]+\)$/.test(line));
    assert.equal(buttons.length, 1, 'a single button; the docs are a link');
    assert.ok(manifest.contributes.viewsWelcome.some((w) => w.contents === 'No applications hold a grant on your account.'));
  });

  it('the view shows each kind of error as welcome content with Retry and Sign In buttons', () => {
    for (const kind of ['unreachable', 'refused', 'failed']) {
      const welcome = manifest.contributes.viewsWelcome.find((w) => w.when === `${CONTEXT.signedIn} && ${CONTEXT.applicationsError} == ${kind}`);
      assert.ok(welcome, kind);
      const lines = welcome.contents.split('\n');
      assert.match(lines[0], /^Could not list applications/);
      assert.ok(lines.includes(`[Retry](command:${COMMAND.refreshApplications})`), kind);
      assert.ok(lines.includes(`[Sign In](command:${COMMAND.signIn})`), kind);
    }
    const none = manifest.contributes.viewsWelcome.find((w) => w.contents === 'No applications hold a grant on your account.');
    assert.match(none?.when ?? '', /!lenses\.applicationsError/, 'not shown over an error');
  });

  it('lenses.url and lenses.mcp.url carry a URL pattern the Settings editor checks as you type', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { pattern?: string; patternErrorMessage?: string }>;
    for (const key of ['lenses.url', 'lenses.mcp.url']) {
      assert.ok(properties[key].pattern, key);
      assert.match(properties[key].patternErrorMessage ?? '', /http:\/\/ or https:\/\/ URL/);
      assert.ok(new RegExp(properties[key].pattern ?? '').test(''), `${key}: unset is fine`);
      assert.ok(!new RegExp(properties[key].pattern ?? '').test('hq.example.com'), `${key}: no scheme is flagged`);
    }
  });

  it('the activity bar has a Lenses icon of its own', () => {
    const icon = manifest.contributes.viewsContainers.activitybar[0].icon;
    assert.equal(icon, 'media/lenses-activity.svg');
    const svg = readFileSync(join(root, icon), 'utf8');
    assert.match(svg, /^<svg /);
    assert.doesNotMatch(svg, /M15\.3 15\.3 20\.5 20\.5/, 'not the magnifier handle any more');
  });

  it('every setting has a default and a description', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(properties).sort(), [
      'lenses.allowInsecureHttp',
      'lenses.mcp.disabledTools',
      'lenses.mcp.enabledTools',
      'lenses.mcp.maxToolOutputChars',
      'lenses.mcp.protectedEnvironments',
      'lenses.mcp.readOnly',
      'lenses.mcp.url',
      'lenses.oauth.clientId',
      'lenses.oauth.clientMetadataUrl',
      'lenses.oauth.scopes',
      'lenses.url',
    ]);
    // the client secret is no setting: SecretStorage only, set by a command (CL-23)
    assert.equal(
      Object.keys(properties).some((key) => /secret/i.test(key)),
      false,
    );
    assert.equal(properties['lenses.oauth.clientMetadataUrl'].default, '');
    for (const [key, property] of Object.entries(properties)) {
      assert.notEqual(property.default, undefined, key);
      assert.ok(property.markdownDescription ?? property.description, key);
    }
    assert.deepEqual(properties['lenses.oauth.scopes'].default, ['read', 'write', 'delete']);
    assert.equal(properties['lenses.allowInsecureHttp'].default, false);
    assert.equal(properties['lenses.mcp.readOnly'].default, false);
    assert.deepEqual(properties['lenses.mcp.protectedEnvironments'].default, ['tier:production']);
  });

  it('ships a 128×128 PNG icon and runs in the workspace', () => {
    const png = readFileSync(join(root, manifest.icon));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
    assert.deepEqual(manifest.extensionKind, ['workspace']);
  });
});
