import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { skillEntry, SkillsExtension, type Skill, type SkillSource } from '@modelcontextprotocol/server/ext/skills';

const SKILL_BASE = 'skill://lenses/';

/**
 * The `skills/` folder of the package: beside `dist/` when bundled (the VSIX and the npm package
 * ship it), at the repository root when run from source.
 */
export function skillsFolder(): string | undefined {
  return [join(__dirname, '..', 'skills'), join(__dirname, '..', '..', '..', 'skills')].find((folder) => existsSync(folder));
}

/** The files of each skill folder (each holds one SKILL.md), read once. */
export function readSkillFiles(folder: string): Map<string, Record<string, string>> {
  const skills = new Map<string, Record<string, string>>();
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || !existsSync(join(folder, entry.name, 'SKILL.md'))) continue;
    skills.set(entry.name, { 'SKILL.md': readFileSync(join(folder, entry.name, 'SKILL.md'), 'utf8') });
  }
  return skills;
}

/**
 * A skills source over files read at start-up: the SDK builds each entry (frontmatter, digests,
 * rule checks); every server instance shares the one extension.
 */
function skillSource(files: Map<string, Record<string, string>>): SkillSource {
  let entries: Promise<Skill[]> | undefined;
  const all = () => (entries ??= Promise.all([...files].map(([name, content]) => skillEntry(`lenses/${name}`, content, { baseUri: 'skill://' }))));
  const fileAt = (uri: string) => {
    if (!uri.startsWith(SKILL_BASE)) return undefined;
    const [name, ...rest] = uri.slice(SKILL_BASE.length).split('/');
    return files.get(name)?.[rest.join('/')];
  };
  return {
    list: async () => ({ skills: await all() }),
    get: async (uri) => (await all()).find((skill) => skill.uri === uri),
    read: (uri) => {
      const text = fileAt(uri);
      return Promise.resolve(text === undefined ? undefined : { text, mimeType: 'text/markdown' });
    },
  };
}

let shared: SkillsExtension | null | undefined;

/** The Kafka skills as the SDK's skills extension, or null when the package has no skills folder. */
export function lensesSkills(): SkillsExtension | null {
  if (shared === undefined) {
    const folder = skillsFolder();
    shared = folder ? new SkillsExtension({ source: skillSource(readSkillFiles(folder)) }) : null;
  }
  return shared;
}
