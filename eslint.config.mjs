// ESLint flat config: typescript-eslint's type-aware rules on every .ts file (src, test, bench,
// scripts), plain recommended rules on the few .js/.mjs files; formatting is Prettier's job
// (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
  {
    // Fakes in tests implement promise-returning interfaces (SecretStore, SessionSource) with
    // `async` methods that have nothing to await; that is the interface's shape, not a bug.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
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
