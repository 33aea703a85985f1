import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { VARIABLES } from '../../../src/mcp/standalone/config';

const ROOT = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  mcpName?: string;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
};

describe('the npm package (npx lenses-mcp)', function () {
  this.timeout(60_000);

  it('npm pack holds only dist/lenses-mcp.js (and its OpenTelemetry chunk), the Kafka skills it serves, README.md, LICENSE and package.json, with bin and engines right', async function () {
    const bundle = join(ROOT, 'dist/lenses-mcp.js');
    // npm test bundles first; a lone `npx mocha` may not have.
    for (const file of ['dist/lenses-mcp.js', 'dist/lenses-mcp-otel.js'])
      assert.ok(existsSync(join(ROOT, file)), `${file} is missing: run \`npm run build\` first`);
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const [pack] = JSON.parse(stdout) as Array<{ name: string; files: Array<{ path: string }> }>;
    const skills = readdirSync(join(ROOT, 'skills')).map((name) => `skills/${name}/SKILL.md`);
    assert.deepEqual(
      pack.files.map((file) => file.path).sort(),
      ['LICENSE', 'README.md', 'dist/lenses-mcp-otel.js', 'dist/lenses-mcp.js', 'package.json', ...skills].sort(),
    );
    assert.deepEqual(manifest.bin, { 'lenses-mcp': 'dist/lenses-mcp.js' });
    assert.equal(manifest.engines?.node, '>=20.19.0');
    assert.equal(manifest.dependencies, undefined, 'the bundle needs nothing installed beside it');
    assert.match(readFileSync(bundle, 'utf8').slice(0, 40), /^#!\/usr\/bin\/env node\n/);
  });
});

interface RegistryInput {
  name: string;
  description?: string;
  isRequired?: boolean;
  isSecret?: boolean;
  format?: string;
  default?: string;
  placeholder?: string;
  choices?: string[];
}

interface RegistryPackage {
  registryType: string;
  registryBaseUrl?: string;
  identifier: string;
  version?: string;
  runtimeHint?: string;
  transport: { type: string; url?: string };
  environmentVariables?: RegistryInput[];
}

/**
 * The MCP Registry's server.json, checked against the shape of its published schema
 * (2025-12-11/server.schema.json; the schema is not on the npm registry, so no validator).
 */
describe('server.json for the MCP Registry', () => {
  const server = JSON.parse(readFileSync(join(ROOT, 'server.json'), 'utf8')) as Record<string, unknown> & { packages: RegistryPackage[] };

  it('has the required top-level fields in their allowed form, and no others', () => {
    const allowed = ['$schema', 'name', 'title', 'description', 'version', 'websiteUrl', 'repository', 'icons', 'packages', 'remotes', '_meta'];
    assert.deepEqual(
      Object.keys(server).filter((key) => !allowed.includes(key)),
      [],
    );
    assert.equal(server.$schema, 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json');
    const name = String(server.name);
    assert.match(name, /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    assert.ok(name.length >= 3 && name.length <= 200);
    const description = String(server.description);
    assert.ok(description.length >= 1 && description.length <= 100, `description is ${description.length} characters (1-100)`);
    assert.ok(String(server.title).length <= 100);
    assert.equal(server.version, manifest.version, 'the server version is the package version');
    assert.deepEqual(server.repository, { url: 'https://github.com/lenses-community/lenses-mcp-vscode', source: 'github' });
  });

  it("names the package.json mcpName (the registry's npm ownership check) and describes this npm package over stdio", () => {
    assert.equal(manifest.mcpName, server.name);
    assert.equal(server.packages.length, 1);
    const [pkg] = server.packages;
    assert.deepEqual(
      {
        registryType: pkg.registryType,
        registryBaseUrl: pkg.registryBaseUrl,
        identifier: pkg.identifier,
        version: pkg.version,
        runtimeHint: pkg.runtimeHint,
        transport: pkg.transport,
      },
      {
        registryType: 'npm',
        registryBaseUrl: 'https://registry.npmjs.org',
        identifier: manifest.name,
        version: manifest.version,
        runtimeHint: 'npx',
        transport: { type: 'stdio' },
      },
    );
  });

  it("lists only variables the server reads, with --help's descriptions and defaults; the API key is a secret", () => {
    const variables = server.packages[0].environmentVariables ?? [];
    const inputKeys = ['name', 'description', 'isRequired', 'isSecret', 'format', 'default', 'placeholder', 'choices', 'value', 'variables'];
    for (const variable of variables) {
      const documented = VARIABLES.find((candidate) => candidate.name === variable.name);
      assert.ok(documented, `${variable.name} is not a variable lenses-mcp reads`);
      assert.deepEqual(
        Object.keys(variable).filter((key) => !inputKeys.includes(key)),
        [],
        variable.name,
      );
      assert.equal(variable.description, documented.description, variable.name);
      if (variable.default !== undefined) assert.equal(variable.default, documented.default, variable.name);
      assert.ok(['string', 'number', 'boolean', 'filepath'].includes(variable.format ?? 'string'), variable.name);
      if (variable.choices) assert.ok(variable.default === undefined || variable.choices.includes(variable.default), variable.name);
    }
    assert.equal(variables.find((variable) => variable.name === 'LENSES_API_KEY')?.isSecret, true);
    assert.deepEqual(
      variables.filter((variable) => variable.isSecret).map((variable) => variable.name),
      ['LENSES_API_KEY'],
    );
  });
});
