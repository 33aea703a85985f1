// The README's pictures and the images the VSIX ships agree: every picture the README shows
// exists, and every image the VSIX carries is shown (README) or used (the manifest).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const IMAGE = /\.(png|jpe?g|gif|svg|webp)$/i;

/** The images the README shows: `![alt](path)` and `<img src="path">`, local paths only. */
function readmeImages(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const markdown = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]);
  const html = [...readme.matchAll(/<img\s[^>]*src="([^"]+)"/g)].map((match) => match[1]);
  return [...markdown, ...html].filter((src) => !/^https?:/.test(src));
}

/** `.vscodeignore` as vsce reads it: globs, `!` re-includes, the last matching line wins. */
function shipsInVsix(file: string): boolean {
  const rules = readFileSync(join(ROOT, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const glob = include ? line.slice(1) : line;
      const source = glob
        .split('**')
        .map((part) =>
          part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('.*');
      return { include, pattern: new RegExp(`^${source}$`) };
    });
  let ships = true;
  for (const rule of rules) if (rule.pattern.test(file)) ships = rule.include;
  return ships;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [relative(ROOT, join(ROOT, dir, entry.name))],
  );
}

describe('README pictures and the images the VSIX ships', () => {
  it('every picture the README shows exists', () => {
    const images = readmeImages();
    assert.ok(images.length > 0, 'the README shows pictures');
    assert.deepEqual(
      images.filter((src) => !existsSync(join(ROOT, src))),
      [],
    );
  });

  it('every image in media/ that ships in the VSIX is shown in the README or used by the manifest', () => {
    const shown = new Set(readmeImages());
    const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
    const shipped = filesUnder('media').filter((file) => IMAGE.test(file) && shipsInVsix(file));
    assert.ok(shipped.length > 0, 'the VSIX ships images');
    assert.deepEqual(
      shipped.filter((file) => !shown.has(file) && !manifest.includes(`"${file}"`)),
      [],
      'shipped but never shown: show it in the README or keep it out of media/',
    );
  });

  it('reads .vscodeignore as vsce does: media ships, sources and tests do not', () => {
    assert.equal(shipsInVsix('media/screenshots/connected-applications.png'), true);
    assert.equal(shipsInVsix('dist/extension.js'), true);
    assert.equal(shipsInVsix('src/extension.ts'), false);
    assert.equal(shipsInVsix('test/e2e/run.ts'), false);
  });
});
