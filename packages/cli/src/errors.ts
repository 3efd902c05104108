import { GradlabError } from '@gradlab/plugin-api';

/**
 * Exit codes: 0 success, 1 the command ran and failed (unreadable file, invalid spec, training
 * error, problems found), 2 the command line is wrong (unknown command or flag, bad value),
 * 130 training interrupted by Ctrl-C after the outputs were written.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** An error the CLI reports as one message, without a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;
  constructor(message: string, options: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT.failure;
    this.hint = options.hint;
  }
}

/** The command line is wrong: exit code 2. */
export const usageError = (message: string, hint?: string): CliError =>
  new CliError(message, { exitCode: EXIT.usage, hint });

/** The command ran and failed: exit code 1. */
export const failure = (message: string, hint?: string): CliError =>
  new CliError(message, { exitCode: EXIT.failure, hint });

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function quoteList(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** What to print for an error, and the exit code. Stack traces only with GRADLAB_DEBUG=1. */
export function describeError(error: unknown, debug: boolean): { text: string; exitCode: number } {
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  if (error instanceof CliError) {
    return { text: error.message + (error.hint ? `\n  Hint: ${error.hint}` : '') + stack, exitCode: error.exitCode };
  }
  if (error instanceof GradlabError) return { text: error.format() + stack, exitCode: EXIT.failure };
  if (isNodeError(error) && error.code === 'EPIPE') return { text: '', exitCode: EXIT.ok };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    text:
      `Internal error: ${message}` +
      (stack || '\n  Hint: This is a bug in gradlab. Re-run with GRADLAB_DEBUG=1 for the stack trace and report it.'),
    exitCode: EXIT.failure,
  };
}

/**
 * An error from a Node API, which carries a `code` such as 'ENOENT'. Typed without the `NodeJS`
 * namespace so the published .d.ts compiles for users who have no @types/node (pack-test checks it).
 */
export function isNodeError(error: unknown): error is Error & { readonly code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}
