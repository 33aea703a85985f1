import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository stands on its own: every case ID the code, tests and docs cite is defined in
 * docs/SECURITY-CASES.md, every defined case has a test named after it, and nothing points at
 * files outside the repository.
 */
const ROOT = path.resolve(__dirname, '../..');
const CASES_FILE = 'docs/SECURITY-CASES.md';
const CASE_ID = /\b(?:RS|CL|AS|HQ)-\d{2}\b/g;
const TEXT_FILE = /\.(?:ts|mts|js|mjs|cjs|json|md|sh|yml|yaml|html|css|txt)$|(?:^|\/)(?:run|\.npmrc)$/;

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  return listed.split('\0').filter((file) => file !== '' && TEXT_FILE.test(file) && file !== 'package-lock.json' && !file.startsWith('node_modules'));
}

function read(file: string): string {
  try {
    return readFileSync(path.join(ROOT, file), 'utf8');
  } catch {
    return ''; // listed by git but deleted in the work tree
  }
}

function definedCases(): Set<string> {
  const rows = read(CASES_FILE).match(/^\| (?:RS|CL|AS|HQ)-\d{2} \|/gm) ?? [];
  return new Set(rows.map((row) => row.slice(2, 7)));
}

describe('Security cases (docs/SECURITY-CASES.md)', () => {
  const files = trackedTextFiles();
  const defined = definedCases();

  it('defines every case ID cited anywhere in the repository', () => {
    const undefinedCitations: string[] = [];
    for (const file of files) {
      if (file === CASES_FILE) continue;
      for (const id of new Set(read(file).match(CASE_ID) ?? [])) {
        if (!defined.has(id)) undefinedCitations.push(`${id} in ${file}`);
      }
    }
    assert.ok(defined.size > 0, `${CASES_FILE} defines no case`);
    assert.deepEqual(undefinedCitations, [], `cited but not defined in ${CASES_FILE}`);
  });

  it('has at least one test named after each defined case', () => {
    const testSources = files.filter((file) => /^(test|hq-emulator)\//.test(file) && /\.ts$/.test(file)).map(read);
    const untested = [...defined].filter((id) => {
      const named = new RegExp(`\\b(?:it|describe|test)(?:\\.only|\\.skip)?\\(\\s*['"\`]${id}\\b`);
      return !testSources.some((source) => named.test(source));
    });
    assert.deepEqual(untested, [], 'cases without a test whose name starts with their ID');
  });

  it('points at nothing outside the repository', () => {
    const outside = files.filter((file) => /\.\.\/shared\b|\/work\/(?:shared|main)\b/.test(read(file)));
    assert.deepEqual(outside, [], 'files naming paths outside the repository');
  });
});
