/** How many characters of text one tool answer may hold unless configured otherwise. */
export const DEFAULT_MAX_TOOL_OUTPUT_CHARS = 24_000;
/** The configurable range of that budget (`LENSES_MAX_TOOL_OUTPUT_CHARS`, `lenses.mcp.maxToolOutputChars`). */
export const MIN_TOOL_OUTPUT_CHARS = 2_000;
export const MAX_TOOL_OUTPUT_CHARS = 1_000_000;

/** A tool answer already shaped for the model: its text and, for typed tools, its structuredContent. */
export class ToolAnswer {
  constructor(
    readonly text: string,
    readonly structured?: Record<string, unknown>,
  ) {}
}
