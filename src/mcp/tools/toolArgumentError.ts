/**
 * Arguments outside the schema: the message names each argument. Apart from the tools, so the
 * server's wording of tool errors loads without the tool definitions.
 */
export class ToolArgumentError extends Error {
  override readonly name = 'ToolArgumentError';
}
