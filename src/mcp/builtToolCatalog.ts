import type { ListedTool } from './toolCatalog';

/**
 * The tools/list entries of the Lenses tools, computed when the server is bundled
 * (scripts/esbuild/toolCatalogPlugin.mjs puts them here), so a start lists its tools without
 * building their schemas. Undefined when running from source: computed on first use then.
 */
export const BUILT_TOOL_CATALOG: readonly ListedTool[] | undefined = undefined;
