import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { toolUiMeta } from './apps';
import { BUILT_TOOL_CATALOG } from './builtToolCatalog';
import type * as Tools from './tools';
import type { LensesTool, ToolCard } from './tools/types';

/** A tool's card with its tools/list entry: all the server needs until the tool is called. */
export interface ListedTool extends ToolCard {
  listing: Tool;
}

const listedTools = new WeakMap<LensesTool, Tool>();

/** The tools/list entry of a tool (JSON Schema from its strict zod schema; computed once). */
export function toolListing(tool: LensesTool): Tool {
  let listed = listedTools.get(tool);
  if (!listed) {
    const inputSchema = z.toJSONSchema(tool.inputSchema, { io: 'input', target: 'draft-2020-12' }) as Tool['inputSchema'];
    delete (inputSchema as Record<string, unknown>).$schema;
    const outputSchema = tool.outputSchema ? (z.toJSONSchema(tool.outputSchema, { io: 'output', target: 'draft-2020-12' }) as Tool['outputSchema']) : undefined;
    if (outputSchema) delete (outputSchema as Record<string, unknown>).$schema;
    listed = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema,
      ...(outputSchema ? { outputSchema } : {}),
      annotations: { title: tool.title, ...tool.annotations },
      ...toolUiMeta(tool.name),
    };
    listedTools.set(tool, listed);
  }
  return listed;
}

/** The cards and tools/list entries of `tools`, in their order. */
export function catalogOf(tools: readonly LensesTool[]): ListedTool[] {
  return tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    scope: tool.scope,
    annotations: tool.annotations,
    listing: toolListing(tool),
  }));
}

let computedCatalog: readonly ListedTool[] | undefined;

/** The Lenses tools as listed: from the bundle when built, else computed from the tools once. */
export function lensesToolCatalog(): readonly ListedTool[] {
  return BUILT_TOOL_CATALOG ?? (computedCatalog ??= catalogOf(lensesTools()));
}

/**
 * The Lenses tools themselves (bodies and zod schemas), loaded on first use: a server lists its
 * tools from the catalog and needs these only when one is called.
 */
export function lensesTools(): readonly LensesTool[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled, but evaluated only when a tool is first called
  return (require('./tools') as typeof Tools).LENSES_TOOLS;
}
