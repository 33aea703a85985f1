// @vscode/test-cli configuration: the in-host suite (test/inhost, bundled to out/inhost by
// `npm run test:inhost`) in desktop VS Code, downloaded by @vscode/test-electron into
// .vscode-test/ (needs internet). Here, without a download, `npm test` runs the same files
// inside code-server instead (test/e2e/inhost.e2e.ts). The signed-in tests skip on desktop:
// nobody drives the browser there.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'inhost',
  files: 'out/inhost/*.test.js',
  // The oldest VS Code the manifest accepts (engines.vscode ^1.138.0); `stable` tests the newest.
  version: process.env.LENSES_VSCODE_VERSION || '1.138.0',
  workspaceFolder: './test/dev-workspace',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 30_000 },
});
