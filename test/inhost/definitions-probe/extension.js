// Test-only: what VS Code holds as the PROVIDED MCP server definitions (the proposed
// `vscode.lm.mcpServerDefinitions`). VS Code's Copilot harness forwards exactly these, without
// calling the provider's resolveMcpServerDefinition. Needs code-server started with
// `--enable-proposed-api lenses-community.lenses-mcp-definitions-probe` (see README.md).
'use strict';
const vscode = require('vscode');

/** Plain data of one definition: label, and for HTTP servers the URL and headers. */
function describe(definition) {
  const http = definition instanceof vscode.McpHttpServerDefinition;
  return {
    label: definition.label,
    kind: http ? 'http' : 'stdio',
    url: http ? definition.uri.toString() : undefined,
    headers: http ? { ...definition.headers } : undefined,
  };
}

/** Reading a proposed API the extension may not use throws. */
function proposalEnabled() {
  try {
    return Array.isArray(vscode.lm.mcpServerDefinitions);
  } catch {
    return false;
  }
}

function activate() {
  const available = proposalEnabled();
  return {
    /** False when the proposed API is not enabled for this extension. */
    available,
    /** The definitions as provided, now. */
    definitions: () => (available ? vscode.lm.mcpServerDefinitions.map(describe) : []),
    /** VS Code's own change event of the definitions it holds. */
    onDidChange: (listener) => vscode.lm.onDidChangeMcpServerDefinitions(listener),
  };
}

module.exports = { activate, deactivate() {} };
