import { z } from 'zod';
import type { LensesClient } from '../../lenses';
import { isSafePathSegment, MAX_PATH_SEGMENT_LENGTH } from '../../lenses';
import { ToolAnswer } from './answer';
import { UnrecognisedLensesAnswer, unrecognisedAnswer } from './lensesAnswers';
import { ToolArgumentError } from './toolArgumentError';
import type { ToolCard } from './toolCard';

export type { ToolAnnotations, ToolCard } from './toolCard';
export { ToolArgumentError } from './toolArgumentError';

/** What a tool body gets besides its arguments. */
export interface ToolContext {
  /** HQ client carrying the caller's credential. */
  lenses: LensesClient;
  signal: AbortSignal;
  /** Sends notifications/progress when the client asked for it (progressToken); else a no-op. */
  progress: (progress: number, message?: string) => Promise<void>;
  /** The most characters of text the answer may hold (whole items only; see paging.ts). */
  maxOutputChars: number;
}

/** A tool as written in an area file: a zod shape and a body typed from it. */
export interface ToolSpec<Shape extends z.ZodRawShape> extends ToolCard {
  input: Shape;
  /** The shape of the answer's structuredContent (list tools): listed as `outputSchema`. */
  output?: z.ZodType;
  /** Checks across arguments that a schema cannot say; returns a sentence naming the argument. */
  check?(args: z.infer<z.ZodObject<Shape>>): string | undefined;
  /** Returns the HQ answer (JSON value, text such as YAML, or null) or a shaped `ToolAnswer`. */
  run(args: z.infer<z.ZodObject<Shape>>, context: ToolContext): Promise<unknown>;
}

/** A registered tool with its types erased: what the server's table holds. */
export interface LensesTool extends ToolCard {
  /** Strict: unknown arguments are refused. */
  inputSchema: z.ZodType;
  /** The structuredContent every successful answer carries, when the tool declares one. */
  outputSchema?: z.ZodType;
  /** Validates `args` (throws `ToolArgumentError`) then runs the body. */
  call(args: unknown, context: ToolContext): Promise<unknown>;
  /** What is wrong with `args` (the sentence `call` would throw), or undefined: checked before asking the user to confirm. */
  validate(args: unknown): string | undefined;
}

/** Declares one tool: its arguments become a strict zod object validated before the body runs. */
export function defineTool<Shape extends z.ZodRawShape>(spec: ToolSpec<Shape>): LensesTool {
  const schema = z.strictObject(spec.input);
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    scope: spec.scope,
    annotations: spec.annotations,
    inputSchema: schema,
    outputSchema: spec.output,
    async call(args, context) {
      const parsed = schema.safeParse(args ?? {});
      if (!parsed.success) throw new ToolArgumentError(describeIssues(parsed.error));
      const args_ = parsed.data as z.infer<z.ZodObject<Shape>>;
      const problem = spec.check?.(args_);
      if (problem) throw new ToolArgumentError(problem);
      try {
        const answer = await spec.run(args_, context);
        return answer === null || answer === undefined ? doneAnswer() : answer;
      } catch (error) {
        // Degrade, never break: an answer in no published shape is passed through (reads only; writes return HQ's answer as it is).
        if (error instanceof UnrecognisedLensesAnswer)
          return unrecognisedAnswer(error.endpoint, error.answer, context.lenses, context.maxOutputChars, spec.output !== undefined);
        throw error;
      }
    },
    validate(args) {
      const parsed = schema.safeParse(args ?? {});
      if (!parsed.success) return describeIssues(parsed.error);
      return spec.check?.(parsed.data);
    },
  };
}

/** What the official server answers for an HQ 204 (or any empty success), as text JSON and structuredContent. */
export const OPERATION_COMPLETED = { success: true, message: 'Operation completed successfully' } as const;

function doneAnswer(): ToolAnswer {
  const structured = { ...OPERATION_COMPLETED };
  return new ToolAnswer(JSON.stringify(structured), structured);
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown argument${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      const name = issue.path.length > 0 ? issue.path.map(String).join('.') : '(arguments)';
      return `argument "${name}": ${issue.message}`;
    })
    .join('; ');
}

const SEGMENT_RULE = "must not be '.' or '..', or contain '/', '\\', '%', '?', '#' or control characters";

/** The longest string argument Lenses receives in a query (search text, filters by name). */
export const MAX_QUERY_ARGUMENT_LENGTH = 1024;
/** The most values a list argument sent in a query may hold. */
export const MAX_QUERY_LIST_LENGTH = 100;

/** MCP tool annotations, by what a tool does (readOnlyHint, destructiveHint, idempotentHint). */
export const ANNOTATIONS = {
  /** Reads only. */
  READS: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  /** Creates something new; calling twice creates twice (or fails the second time). */
  CREATES: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  /** Sets a value without losing any; the same call twice is harmless. */
  SETS: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  /** Changes running state (restart, resend); each call acts again. */
  ACTS: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  /** Replaces or deletes; the same call twice ends in the same state. */
  OVERWRITES: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
} as const;

/** The `environment` argument every environment-scoped tool takes. */
export function environmentArgument(): z.ZodString {
  return segment().describe('The environment name.');
}

/** A string that becomes one HQ path segment: refused before any HQ call if it could change the route or is too long. */
export function segment(): z.ZodString {
  return z
    .string()
    .min(1, { message: 'must not be empty', abort: true })
    .max(MAX_PATH_SEGMENT_LENGTH, { message: `must be at most ${MAX_PATH_SEGMENT_LENGTH} characters`, abort: true })
    .refine(isSafePathSegment, SEGMENT_RULE);
}

/**
 * An optional argument that becomes a path segment later (an id HQ stores and routes by):
 * '' means "not given", as in the official tool; anything else follows {@link segment}.
 */
export function optionalSegment(): z.ZodString {
  return z
    .string()
    .max(MAX_PATH_SEGMENT_LENGTH, { message: `must be at most ${MAX_PATH_SEGMENT_LENGTH} characters`, abort: true })
    .refine((value) => value === '' || isSafePathSegment(value), SEGMENT_RULE);
}

/** A string sent to Lenses as a query parameter: bounded so an oversized request line never reaches HQ. */
export function queryText(): z.ZodString {
  return z.string().max(MAX_QUERY_ARGUMENT_LENGTH);
}

/** A list of strings sent as a repeated query parameter. */
export function queryList(item: z.ZodString = queryText()) {
  return z.array(item).max(MAX_QUERY_LIST_LENGTH);
}

/** A Kafka topic name (Kafka allows letters, digits, '.', '_' and '-'). */
export function topicName(description: string): z.ZodString {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(249)
    .regex(/^[A-Za-z0-9._-]+$/, "may only contain letters, digits, '.', '_' and '-'")
    .refine(isSafePathSegment, SEGMENT_RULE)
    .describe(description);
}
