import assert from 'node:assert/strict';
import { accessInstructions } from '../../../src/mcp/accessInstructions';
import { OPEN_POLICY, parseToolSelectors, type ToolPolicy } from '../../../src/mcp/governance';
import type { ToolAccess } from '../../../src/mcp/toolAccess';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import type { Scope } from '../../../src/scopes';

const granted = (...scopes: Scope[]): ToolAccess => ({ kind: 'granted', token: 't', scopes: new Set(scopes) });
const READ_ONLY: ToolPolicy = { ...OPEN_POLICY, readOnly: true };

describe('accessInstructions (what server/discover says a credential may use)', () => {
  it('counts the tools of the granted scopes and names the scopes not granted with a few of their tools', () => {
    const text = accessInstructions(granted('read', 'write'), LENSES_TOOLS, OPEN_POLICY);
    assert.match(text, /^This credential holds the Lenses scopes read and write: 40 of the 45 tools are available to it\. /);
    assert.match(
      text,
      /Not granted: "delete" \(5 tools: delete_kafka_connector, [a-z_]+, [a-z_]+, …\), so those tools are not listed; to use them, sign in again and grant "delete"\.$/,
    );
  });

  it('read-only mode: the write and delete tools count as turned off by the rules, not as scopes to ask for', () => {
    const text = accessInstructions(granted('read'), LENSES_TOOLS, READ_ONLY);
    assert.equal(
      text,
      "This credential holds the Lenses scope read: 24 of the 45 tools are available to it. 21 more tools are turned off by this server's rules.",
    );
  });

  it('a tool filter narrows the count and the names of what a missing scope would add', () => {
    const policy: ToolPolicy = { ...OPEN_POLICY, disabled: parseToolSelectors(['delete_kafka_connector'], 'test') };
    const text = accessInstructions(granted('read', 'write'), LENSES_TOOLS, policy);
    const deleteTools = /"delete" \(4 tools: ([^)]*)\)/.exec(text)?.[1] ?? '';
    assert.notEqual(deleteTools, '', text);
    assert.doesNotMatch(deleteTools, /delete_kafka_connector/);
    assert.match(text, /1 more tool is turned off by this server's rules\.$/);
  });

  it('an API key is not told to sign in again', () => {
    const text = accessInstructions(granted('read'), LENSES_TOOLS, OPEN_POLICY, 'api-key');
    assert.match(text, /so those tools are not listed; this server's API-key access does not include them\.$/);
    assert.doesNotMatch(text, /sign in/);
  });

  it('signed out: the listed tools cannot run until a sign-in; HQ unreachable: the reason first', () => {
    const signedOut = accessInstructions({ kind: 'signed-out', scopes: new Set(['read']), message: 'Sign in.' }, LENSES_TOOLS, OPEN_POLICY);
    assert.match(signedOut, /^Signed out of Lenses: 24 tools are listed, but none can run until the user signs in to Lenses in the editor/);
    const unavailable = accessInstructions(
      {
        kind: 'signed-out',
        reason: 'unavailable',
        scopes: new Set(['read']),
        message: 'Lenses cannot be used right now: HQ is down. Your sign-in is kept; retry in a moment.',
      },
      LENSES_TOOLS,
      OPEN_POLICY,
    );
    assert.equal(
      unavailable,
      'Lenses cannot be used right now: HQ is down. Your sign-in is kept; retry in a moment. Until then 24 tools are listed, but none can run.',
    );
  });
});
