/** The message of a thrown value, for logs and error details: `error.message`, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
