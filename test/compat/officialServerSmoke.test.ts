import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { startHq, type RunningHq } from '../../hq-emulator/testing';
import { buildBin, connectStdioBin } from '../integration/mcp/standaloneProcess';
import officialTools from '../unit/mcp/official-tools.json';

/**
 * Mirrors of the official server's tests/test_server_smoke.py: the bundled bin (stdio, API key)
 * registers every official tool and prompt, no more, and every name fits Cursor's limit of 60
 * characters for `mcp_<server>_<name>`.
 */

/** The official tool names (its smoke test's EXPECTED_TOOLS, as transcribed from its source). */
const EXPECTED_TOOLS = officialTools.tools.map((tool) => tool.name);
const CURSOR_MAX_COMBINED_LEN = 60;

describe('compat: official tests/test_server_smoke.py — tools and prompts of the bundled bin', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let client: Client;
  let toolNames: string[] = [];
  let promptNames: string[] = [];
  let prefix = '';

  before(async () => {
    await buildBin();
    hq = await startHq({ port: 0 });
    client = await connectStdioBin({ LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey });
    toolNames = (await client.listTools()).tools.map((tool) => tool.name);
    promptNames = (await client.listPrompts()).prompts.map((prompt) => prompt.name);
    prefix = `mcp_${client.getServerVersion()?.name ?? ''}_`;
  });
  after(async () => {
    await client?.close();
    await hq?.close();
  });

  it('official test_server_registers_all_tools: every official tool is listed', () => {
    const missing = EXPECTED_TOOLS.filter((name) => !toolNames.includes(name));
    assert.deepEqual(missing, []);
  });

  it('official test_server_registers_prompts: prompts are listed, write_sql_query among them', () => {
    assert.ok(promptNames.length > 0);
    assert.ok(promptNames.includes('write_sql_query'));
  });

  it('official test_tool_count_matches: as many tools as the official list, none extra', () => {
    assert.equal(EXPECTED_TOOLS.length, 45);
    assert.equal(toolNames.length, EXPECTED_TOOLS.length, `extra: ${toolNames.filter((name) => !EXPECTED_TOOLS.includes(name)).join(', ')}`);
  });

  it("official test_tool_names_under_max_length: mcp_<server name>_<tool> fits Cursor's 60 characters", () => {
    assert.equal(prefix, 'mcp_Lenses_');
    const tooLong = toolNames.filter((name) => prefix.length + name.length > CURSOR_MAX_COMBINED_LEN);
    assert.deepEqual(tooLong, []);
  });

  it("official test_prompt_names_under_max_length: mcp_<server name>_<prompt> fits Cursor's 60 characters", () => {
    const tooLong = promptNames.filter((name) => prefix.length + name.length > CURSOR_MAX_COMBINED_LEN);
    assert.deepEqual(tooLong, []);
  });
});
