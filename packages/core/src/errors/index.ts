import { createError, GradlabError, type GradlabErrorDetails } from '@gradlab/plugin-api';
import { ErrorData } from './errors-data.ts';

export { ErrorData, type ErrorName, type SpecIssueCode, SpecIssueCodes } from './errors-data.ts';
export { GradlabError };

type Args<N extends keyof typeof ErrorData> = Parameters<(typeof ErrorData)[N]['message']>;

/** Create a catalog error by name: `gradlabError('UnknownPlugin', [kind, id, …], { path })`. */
export function gradlabError<N extends keyof typeof ErrorData>(
  name: N,
  args: Args<N>,
  details?: GradlabErrorDetails,
): GradlabError {
  // The catalog entries' argument lists differ; the generic above keeps call sites exact.
  return createError(ErrorData[name] as never, args as never, details);
}

/**
 * A plugin hook threw: the error names the plugin, the hook and where (`layer 2, step 7`, or `step 7`
 * for hooks that see every layer), and keeps the original as `cause`. A GradlabError that already
 * names its plugin passes through.
 */
export function hookThrew(plugin: string, hook: string, error: unknown, where: string): GradlabError {
  if (error instanceof GradlabError && error.plugin) return error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return gradlabError('PluginError', [plugin, hook, `threw ${what} (${where}).`], {
    plugin,
    hook,
    cause: error,
  });
}

/** Calls a hook that runs once (not per step), naming the plugin if it throws (see hookThrew). */
export function callHook<T>(plugin: string, hook: string, where: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw hookThrew(plugin, hook, error, where);
  }
}

/** One problem found while validating a spec. */
export interface SpecIssue {
  readonly path: string;
  readonly code: import('./errors-data.ts').SpecIssueCode;
  readonly message: string;
  readonly hint?: string;
}

/** Thrown by `train()`/`createSession()` with every problem of a spec at once. */
export class ExperimentSpecError extends GradlabError {
  readonly issues: readonly SpecIssue[];
  constructor(issues: readonly SpecIssue[]) {
    const base = createError(ErrorData.ExperimentSpecError, [issues]);
    super({ name: base.name, title: base.title, message: base.message, hint: base.hint });
    this.issues = issues;
  }
}
