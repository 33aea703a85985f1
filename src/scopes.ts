/** The three Lenses OAuth scopes, in the order HQ lists them. */
export const ALL_SCOPES = ['read', 'write', 'delete'] as const;

export type Scope = (typeof ALL_SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

/** Parses a space- or comma-separated scope string, keeping only known scopes, in canonical order. */
export function parseScopes(value: string | readonly string[] | undefined): Scope[] {
  const words = typeof value === 'string' ? value.split(/[\s,]+/) : (value ?? []);
  const held = new Set(words.filter(isScope));
  return ALL_SCOPES.filter((scope) => held.has(scope));
}
