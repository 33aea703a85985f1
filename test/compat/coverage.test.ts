import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import official from './official-tests.json';

/** Every official test listed in official-tests.json has its named mirror here (`official <name>: …`). */
describe('compat: every official test has a mirror', () => {
  it('names each listed official test in exactly one test of test/compat/', () => {
    const sources = readdirSync(__dirname)
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => readFileSync(join(__dirname, file), 'utf8'))
      .join('\n');
    const problems: string[] = [];
    for (const [file, names] of Object.entries(official.tests)) {
      for (const name of names) {
        // `official <name>` followed by ':' or ' —' (a deliberate difference), inside an it() title.
        const mirrors = sources.match(new RegExp(`['"\`]official ${name}(?::| —)`, 'g'))?.length ?? 0;
        if (mirrors !== 1) problems.push(`${file} ${name}: ${mirrors} mirrors`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
