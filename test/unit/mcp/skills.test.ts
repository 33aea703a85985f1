import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SkillsClient } from '@modelcontextprotocol/client/ext/skills';
import { z } from 'zod';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { ALL_SCOPES } from '../../../src/scopes';
import { connectInMemory } from './inMemoryServer';

const SKILLS = join(__dirname, '..', '..', '..', 'skills');
const skillNames = readdirSync(SKILLS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const skillText = (name: string) => readFileSync(join(SKILLS, name, 'SKILL.md'), 'utf8');

const argumentsOf = new Map(
  LENSES_TOOLS.map((tool) => [tool.name, Object.keys((z.toJSONSchema(tool.inputSchema) as { properties?: object }).properties ?? {})]),
);
const allArguments = new Set([...argumentsOf.values()].flat());

/** Every `tool_name(arg, arg=value, …)` in backticks: the tool and the argument names it uses. */
function toolCalls(markdown: string): Array<{ tool: string; args: string[] }> {
  const calls: Array<{ tool: string; args: string[] }> = [];
  for (const [, tool, inside] of markdown.matchAll(/`([a-z][a-z0-9_]*)\(((?:[^`])*)\)`/g)) {
    // Values may hold commas (lists, objects, strings): drop them before splitting on commas.
    const bare = inside
      .replace(/"[^"]*"/g, '""')
      .replace(/\[[^\]]*\]/g, '[]')
      .replace(/\{[^}]*\}/g, '{}');
    const args = bare
      .split(',')
      .map((part) => part.split('=')[0].trim())
      .filter(Boolean);
    calls.push({ tool, args });
  }
  return calls;
}

describe('Kafka skills (skills/<name>/SKILL.md)', () => {
  it('there are at least five, each with a name matching its folder and a description', () => {
    assert.ok(skillNames.length >= 5, skillNames.join(', '));
    for (const name of skillNames) {
      const frontmatter = /^---\n([\s\S]*?)\n---\n/.exec(skillText(name))?.[1] ?? '';
      assert.match(frontmatter, new RegExp(`^name: ${name}$`, 'm'), `${name}: frontmatter name`);
      assert.match(frontmatter, /^description: .{40,1024}$/m, `${name}: description`);
    }
  });

  it('name only tools that exist, with arguments those tools take', () => {
    for (const name of skillNames) {
      const text = skillText(name);
      const calls = toolCalls(text);
      assert.ok(calls.length > 0, `${name} names no tool call`);
      for (const { tool, args } of calls) {
        const known = argumentsOf.get(tool);
        assert.ok(known, `${name}: no tool "${tool}"`);
        for (const arg of args) assert.ok(known.includes(arg), `${name}: ${tool} has no argument "${arg}" (it takes ${known.join(', ')})`);
      }
      // A snake_case word in backticks is a tool or an argument: a misspelt tool name fails here.
      for (const [, word] of text.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)) {
        assert.ok(argumentsOf.has(word) || allArguments.has(word), `${name}: \`${word}\` is neither a tool nor an argument`);
      }
    }
  });

  it('never suggest getting around a confirmation, and say that writes wait for one', () => {
    for (const name of skillNames) {
      const text = skillText(name).toLowerCase();
      assert.doesNotMatch(text, /(skip|bypass|disable|turn off)[^.\n]{0,40}(confirmation|protected|read-only)(?![^.\n]*never)/, name);
    }
    for (const name of ['change-production-topic', 'write-lenses-sql', 'review-failing-connector', 'investigate-consumer-lag']) {
      assert.match(skillText(name), /confirm/, `${name} says writes are confirmed`);
    }
    assert.match(skillText('write-lenses-sql'), /`write` scope/);
    assert.match(skillText('write-lenses-sql'), /LIMIT/);
    assert.match(skillText('write-lenses-sql'), /_meta\.offset/);
  });

  it('are served over MCP by the skills extension, whole and verified', async () => {
    const { client } = await connectInMemory({ defaultAccess: { kind: 'granted', token: 't', scopes: new Set(ALL_SCOPES) } });
    try {
      const skills = new SkillsClient(client);
      assert.equal(skills.supported, true);
      const listing = await skills.list();
      assert.deepEqual(listing.skills.map((skill) => skill.frontmatter.name).sort(), [...skillNames].sort());
      for (const skill of listing.skills) {
        const file = await skills.read(skill);
        assert.equal(file.verified, true);
        assert.equal(file.text, skillText(skill.frontmatter.name));
      }
    } finally {
      await client.close();
    }
  });

  it('ship in the VSIX and are contributed to VS Code (chatSkills)', () => {
    const manifest = JSON.parse(readFileSync(join(SKILLS, '..', 'package.json'), 'utf8')) as { contributes: { chatSkills?: Array<{ path: string }> } };
    assert.deepEqual(manifest.contributes.chatSkills?.map((entry) => entry.path).sort(), skillNames.map((name) => `./skills/${name}/SKILL.md`).sort());
    assert.match(readFileSync(join(SKILLS, '..', '.vscodeignore'), 'utf8'), /^!skills\/\*\*$/m);
  });
});
