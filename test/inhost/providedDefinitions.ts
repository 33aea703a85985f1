// What VS Code holds as the PROVIDED MCP server definitions, read through the test-only
// definitions probe (test/inhost/definitions-probe, the proposed lm.mcpServerDefinitions API).
// VS Code's Copilot harness forwards exactly these to its Agent Host; resolveMcpServerDefinition
// is not called on that path.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** The probe's id (publisher.name of its package.json). */
export const DEFINITIONS_PROBE_ID = 'lenses-community.lenses-mcp-definitions-probe';

/** Set by the code-server driver, which installs the probe and enables its proposed API. */
export const DEFINITIONS_PROBE_EXPECTED = process.env.LENSES_INHOST_DEFINITIONS_PROBE === '1';

/** One definition as VS Code holds it. */
export interface ProvidedDefinition {
  label: string;
  kind: 'http' | 'stdio';
  url?: string;
  headers?: Record<string, string>;
}

/** The probe extension's exports. */
export interface DefinitionsProbe {
  available: boolean;
  definitions(): ProvidedDefinition[];
  onDidChange(listener: () => void): vscode.Disposable;
}

/** The probe, activated and able to read the proposed API; fails when the driver said it would be there. */
export async function definitionsProbe(): Promise<DefinitionsProbe | undefined> {
  const extension = vscode.extensions.getExtension<DefinitionsProbe>(DEFINITIONS_PROBE_ID);
  if (!extension) {
    assert.ok(!DEFINITIONS_PROBE_EXPECTED, `${DEFINITIONS_PROBE_ID} is not installed`);
    return undefined;
  }
  const probe = await extension.activate();
  assert.ok(
    probe.available,
    `${DEFINITIONS_PROBE_ID} cannot read vscode.lm.mcpServerDefinitions: start VS Code with --enable-proposed-api ${DEFINITIONS_PROBE_ID}`,
  );
  return probe;
}

/** The Lenses servers among them. */
export function lensesDefinitions(probe: DefinitionsProbe): ProvidedDefinition[] {
  return probe.definitions().filter((definition) => /^Lenses\b/.test(definition.label));
}

/** Waits (polling every 10 ms) until the Lenses definitions VS Code holds satisfy `done`; returns them and when that was seen. */
export async function waitForLensesDefinitions(
  probe: DefinitionsProbe,
  done: (definitions: ProvidedDefinition[]) => boolean,
  timeoutMs = 10_000,
): Promise<{ definitions: ProvidedDefinition[]; seenAt: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const definitions = lensesDefinitions(probe);
    if (done(definitions)) return { definitions, seenAt: Date.now() };
    if (Date.now() > deadline)
      assert.fail(`VS Code's provided Lenses definitions did not change as expected within ${timeoutMs} ms: ${JSON.stringify(definitions)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Records when an event fired (subscribe before acting). */
export class FiredAt implements vscode.Disposable {
  readonly times: number[] = [];
  private readonly subscription: vscode.Disposable;
  constructor(event: (listener: () => void) => vscode.Disposable) {
    this.subscription = event(() => this.times.push(Date.now()));
  }
  get last(): number | undefined {
    return this.times.at(-1);
  }

  /** Milliseconds from `since` to the first time this fired at or after it. */
  firstAfter(since: number): number | undefined {
    const at = this.times.find((time) => time >= since);
    return at === undefined ? undefined : at - since;
  }
  dispose(): void {
    this.subscription.dispose();
  }
}
