import assert from 'node:assert/strict';
import { availableTools } from '../../../src/vscode/governance/availableToolsModel';
import {
  affectsGovernance,
  EditorGovernance,
  governanceRulesOf,
  readGovernanceSettings,
  type ConfigurationInspector,
} from '../../../src/vscode/governance/governanceSettings';
import { RecordingLogger } from '../../support/recordingLogger';

type Layers = { defaultValue?: unknown; globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown };

/** A configuration as `inspect` shows it: the manifest's defaults plus the given layers. */
function configuration(layers: Record<string, Layers> = {}): ConfigurationInspector {
  const defaults: Record<string, unknown> = {
    'lenses.mcp.readOnly': false,
    'lenses.mcp.enabledTools': [],
    'lenses.mcp.disabledTools': [],
    'lenses.mcp.protectedEnvironments': ['tier:production'],
  };
  return {
    inspect<T>(section: string) {
      return { defaultValue: defaults[section], ...layers[section] } as { defaultValue?: T; globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T };
    },
  };
}

describe('governance settings (lenses.mcp.*)', () => {
  it('defaults: read-only off, all tools, tier:production protected', () => {
    assert.deepEqual(readGovernanceSettings(configuration()), {
      readOnly: false,
      enabledTools: [],
      disabledTools: [],
      protectedEnvironments: ['tier:production'],
    });
  });

  it('a workspace cannot turn read-only off or widen enabledTools: those come from user settings only', () => {
    const values = readGovernanceSettings(
      configuration({
        'lenses.mcp.readOnly': { globalValue: true, workspaceValue: false },
        'lenses.mcp.enabledTools': { globalValue: ['topics'], workspaceValue: [] },
      }),
    );
    assert.equal(values.readOnly, true);
    assert.deepEqual(values.enabledTools, ['topics']);
  });

  it("a workspace adds disabled tools and protected environments to the user's, never removes them", () => {
    const values = readGovernanceSettings(
      configuration({
        'lenses.mcp.protectedEnvironments': { workspaceValue: [], workspaceFolderValue: ['dev'] },
        'lenses.mcp.disabledTools': { globalValue: ['delete'], workspaceValue: ['sql'] },
      }),
    );
    assert.deepEqual(values.protectedEnvironments, ['tier:production', 'dev']);
    assert.deepEqual(values.disabledTools, ['delete', 'sql']);
  });

  it('unknown names are left out, with one warning per setting offering "Open Settings" on it', () => {
    const { rules, warnings } = governanceRulesOf({
      readOnly: false,
      enabledTools: ['topics', 'topicz'],
      disabledTools: ['admin', 'root'],
      protectedEnvironments: ['tier:prod', 'prod'],
    });
    assert.deepEqual(rules.tools.enabled, [{ kind: 'area', area: 'topics' }]);
    assert.deepEqual(rules.tools.disabled, []);
    assert.deepEqual(rules.protectedEnvironments, [{ kind: 'name', name: 'prod' }]);
    assert.deepEqual(
      warnings.map((w) => [w.setting, w.actions]),
      [
        ['lenses.mcp.enabledTools', ['openSettings']],
        ['lenses.mcp.disabledTools', ['openSettings']],
        ['lenses.mcp.protectedEnvironments', ['openSettings']],
      ],
    );
    assert.match(warnings[0].text, /"topicz", which is not a Lenses tool, area or scope; it is ignored/);
    assert.match(warnings[1].text, /"admin", "root", which are not/);
  });

  it('EditorGovernance re-reads the settings on reload and names them as settings in refusals', () => {
    const layers: Record<string, Layers> = {};
    const governance = new EditorGovernance(() => configuration(layers), new RecordingLogger());
    assert.equal(governance.governance.rules().tools.readOnly, false);
    layers['lenses.mcp.readOnly'] = { globalValue: true };
    assert.deepEqual(governance.reload(), []);
    assert.equal(governance.governance.rules().tools.readOnly, true);
    assert.match(governance.governance.switches.readOnly, /lenses\.mcp\.readOnly/);
    assert.equal(
      affectsGovernance((s) => s === 'lenses.mcp.protectedEnvironments'),
      true,
    );
    assert.equal(
      affectsGovernance((s) => s === 'lenses.url'),
      false,
    );
  });
});

describe('"Lenses: Show Available Tools"', () => {
  const rules = (values: Partial<Parameters<typeof governanceRulesOf>[0]> = {}) =>
    governanceRulesOf({ readOnly: false, enabledTools: [], disabledTools: [], protectedEnvironments: ['tier:production'], ...values }).rules;
  const tool = (report: ReturnType<typeof availableTools>, name: string) => report.areas.flatMap((area) => area.tools).find((t) => t.name === name);

  it('lists the 45 tools in the eight areas; with every scope and no switch all are on', () => {
    const report = availableTools(rules(), ['read', 'write', 'delete']);
    assert.deepEqual(
      report.areas.map((a) => a.label),
      ['environments', 'topics', 'datasets', 'connectors', 'consumer groups', 'SQL', 'SQL processors', 'approvals'],
    );
    assert.equal(report.areas.flatMap((a) => a.tools).length, 45);
    assert.match(report.summary, /^45 of 45 tools on · read-only mode off · protected environments: tier:production$/);
  });

  it('says why each tool is off and what turns it on: scope not granted, read-only, filter, signed out', () => {
    const scoped = availableTools(rules(), ['read', 'write']);
    assert.deepEqual(tool(scoped, 'delete_kafka_connector')?.off, {
      reason: 'needs the "delete" scope, not granted',
      fix: { kind: 'changeScopes', scope: 'delete', label: 'Change Granted Scopes…' },
    });
    assert.equal(tool(scoped, 'create_topic')?.off, undefined);

    const readOnly = availableTools(rules({ readOnly: true }), ['read', 'write', 'delete']);
    assert.deepEqual(tool(readOnly, 'create_topic')?.off, {
      reason: 'read-only mode is on (the "lenses.mcp.readOnly" user setting)',
      fix: { kind: 'openSettings', setting: 'lenses.mcp.readOnly', label: 'Open Settings' },
    });

    const filtered = availableTools(rules({ disabledTools: ['sql'] }), ['read']);
    assert.equal(tool(filtered, 'execute_sql')?.off?.fix.kind, 'openSettings');
    assert.match(tool(filtered, 'execute_sql')?.off?.reason ?? '', /turned off by "sql" in the "lenses.mcp.disabledTools" setting/);

    const signedOut = availableTools(rules(), undefined);
    assert.deepEqual(tool(signedOut, 'list_topics')?.off, { reason: 'signed out of Lenses', fix: { kind: 'signIn', label: 'Sign In' } });
    assert.match(signedOut.summary, /^0 of 45/);
  });
});
