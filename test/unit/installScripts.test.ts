// npm 11 warns on every `npm ci` about dependencies whose install scripts package.json's
// `allowScripts` does not cover: each one is allowed or denied there on purpose.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

interface PackageJson {
  name?: string;
  scripts?: Partial<Record<string, string>>;
  allowScripts?: Record<string, boolean>;
}

function readPackage(dir: string): PackageJson | undefined {
  const file = join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageJson) : undefined;
}

/** Every installed package (nested ones too) with an install-time lifecycle script. */
function packagesWithInstallScripts(modules: string, found = new Set<string>()): Set<string> {
  if (!existsSync(modules)) return found;
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((name) => join(modules, entry, name)) : [join(modules, entry)];
    for (const dir of dirs) {
      const pkg = readPackage(dir);
      if (pkg?.name && INSTALL_SCRIPTS.some((script) => pkg.scripts?.[script])) found.add(pkg.name);
      packagesWithInstallScripts(join(dir, 'node_modules'), found);
    }
  }
  return found;
}

describe('npm install scripts (package.json allowScripts)', () => {
  const allowScripts = readPackage(ROOT)?.allowScripts ?? {};

  it('every installed dependency with an install script is allowed or denied explicitly, so npm ci prints no warning', () => {
    const uncovered = [...packagesWithInstallScripts(join(ROOT, 'node_modules'))].filter((name) => !(name in allowScripts));
    assert.deepEqual(uncovered, [], 'run `npm install-scripts ls`, then approve or deny each in package.json');
  });

  it('only esbuild runs its script (the native binary check and fallback); vsce-sign (only for --sign-tool) and protobufjs (a version hint) do not', () => {
    assert.deepEqual(allowScripts, { esbuild: true, '@vscode/vsce-sign': false, protobufjs: false });
  });
});
