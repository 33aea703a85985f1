import type { Scope } from '../../scopes';

/** MCP tool annotations (hints for clients; never relied on for security). */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
}

/**
 * What the server decides by before a tool runs: its name, words, scope and annotations. Plain
 * data, so listing tools and applying the rules need neither the tool bodies nor their schemas.
 */
export interface ToolCard {
  /** The official Lenses MCP tool name. */
  name: string;
  title: string;
  description: string;
  /** The one OAuth scope the tool needs (as in the official server's decorator). */
  scope: Scope;
  annotations: ToolAnnotations;
}
