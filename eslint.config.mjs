// ESLint flat config: typescript-eslint's type-aware rules on every .ts file (src, test, bench,
// scripts), plain recommended rules on the few .js/.mjs files; formatting is Prettier's job
// (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The rooms of src/ (docs/ARCHITECTURE.md), lowest first: a room may import the shared files at
 * the root of src/ and the rooms listed under it, never one above it. Only src/vscode/ and
 * src/extension.ts may import `vscode`.
 */
const ROOMS = {
  http: [],
  telemetry: [],
  lenses: ['http'],
  oauth: ['http'],
  mcp: ['http', 'telemetry', 'lenses'],
};
const ALL_ROOMS = ['http', 'telemetry', 'lenses', 'oauth', 'mcp', 'vscode'];

/** no-restricted-imports for the files of one room: `vscode` and every room it may not import. */
function roomRule(room) {
  const forbidden = ALL_ROOMS.filter((other) => other !== room && !ROOMS[room].includes(other));
  return {
    files: [`src/${room}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: `src/${room} is plain Node: only src/vscode/ and src/extension.ts import vscode.` }],
          patterns: forbidden.map((other) => ({
            // A relative import that climbs out of this room into src/<other> (e.g. ../vscode/x, ../../mcp).
            regex: `^(\\.\\./)+${other}(/|$)`,
            message: `src/${room} may not import src/${other} (which room may import which: docs/ARCHITECTURE.md).`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.artifacts/**', '.cache/**', '*.vsix'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits hides its rejection; `void p` says it is on purpose.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async callback where VS Code or Node expects a void one loses its rejections.
      '@typescript-eslint/no-misused-promises': 'error',
      // A new union member (error code, scope, transport) must be handled everywhere it is switched on.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Type-only imports vanish from the bundle; the code base writes them inline (`import { x, type Y }`).
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      // Passing a caught rejection on unchanged (typed unknown) is not inventing a non-Error reason.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  ...Object.keys(ROOMS).map(roomRule),
  {
    // The shared files at the root of src/ (log, scopes, errors, loopback) sit under every room.
    files: ['src/*.ts'],
    ignores: ['src/extension.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Only src/vscode/ and src/extension.ts import vscode.' }],
          patterns: [{ regex: `^\\./(${ALL_ROOMS.join('|')})(/|$)`, message: 'The shared files at the root of src/ import no room.' }],
        },
      ],
    },
  },
  {
    // A function longer than a screen hides its steps: split it into named steps with explicit inputs.
    files: ['src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Fakes in tests implement promise-returning interfaces (SecretStore, SessionSource) with
    // `async` methods that have nothing to await; that is the interface's shape, not a bug. The
    // emulator's in-memory store implements oidc-provider's async adapter the same way.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'hq-emulator/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // CommonJS: the mocha reporter and the e2e probe extension are loaded with require().
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  prettier,
);
