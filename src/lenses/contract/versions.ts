import type { z } from 'zod';

/**
 * The Lenses versions whose published answers this project reads, oldest first. The
 * reference: https://docs.lenses.io/latest/api-reference/reference (6.2) and
 * https://docs.lenses.io/latest/api-reference/6.3/reference (6.3). Where the two publish the
 * same shape, both entries hold the same schema.
 */
export const LENSES_VERSIONS = ['6.2', '6.3'] as const;
export type LensesVersion = (typeof LENSES_VERSIONS)[number];
/** The newest version: what the emulator serves unless told otherwise. */
export const NEWEST_LENSES_VERSION: LensesVersion = '6.3';

export function isLensesVersion(value: string): value is LensesVersion {
  return (LENSES_VERSIONS as readonly string[]).includes(value);
}

/** One endpoint we call: the request we send, where it is published, and each version's answer. */
export interface Endpoint<T> {
  /** Short name for logs: `GET /api/v1/environments`. */
  readonly request: string;
  /** The reference page (or, where it is silent, the evidence used). */
  readonly reference: string;
  readonly answers: Readonly<Record<LensesVersion, z.ZodType<T>>>;
}

/** An answer read through the contract: the version whose shape it matched, or not recognised. */
export type ReadAnswer<T> = { known: true; version: LensesVersion; value: T } | { known: false; answer: unknown };

/**
 * Reads `answer` as the newest version whose published shape it matches. The value is HQ's
 * answer itself, not zod's copy: the schemas only check (no defaults or transforms), and the
 * tools show HQ's answer with its keys in HQ's order.
 */
export function readAnswer<T>(endpoint: Endpoint<T>, answer: unknown): ReadAnswer<T> {
  for (const version of [...LENSES_VERSIONS].reverse()) {
    if (endpoint.answers[version].safeParse(answer).success) return { known: true, version, value: answer as T };
  }
  return { known: false, answer };
}

/** The same schema for every version (the reference shows no difference). */
export function sameInEveryVersion<T>(schema: z.ZodType<T>): Record<LensesVersion, z.ZodType<T>> {
  return { '6.2': schema, '6.3': schema };
}

/** The top-level keys of an answer, for the log line of an unrecognised shape. */
export function topLevelKeys(answer: unknown): string {
  if (answer === null) return 'null';
  if (Array.isArray(answer)) return `a list of ${answer.length}`;
  if (typeof answer === 'object') return `keys: ${Object.keys(answer).slice(0, 10).join(', ') || 'none'}`;
  return `a ${typeof answer}`;
}
