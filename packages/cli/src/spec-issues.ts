import { ExperimentSpecError, type SpecIssue } from '@gradlab/core';

/**
 * Core words a missing `data` for library users ("unless data is passed to createSession()");
 * on the command line the way to pass data is `--data`, so say that instead.
 */
export function issuesForCli(issues: readonly SpecIssue[]): SpecIssue[] {
  return issues.map((issue) =>
    issue.path === 'data' && issue.code === 'Required'
      ? {
          ...issue,
          message:
            'is missing: name a dataset in the spec, e.g. "data": "xor", or pass a CSV file with --data FILE.csv.',
        }
      : issue,
  );
}

/** createSession()'s ExperimentSpecError with the CLI's wording; other errors pass through. */
export function rewordSpecError(error: unknown): unknown {
  return error instanceof ExperimentSpecError ? new ExperimentSpecError(issuesForCli(error.issues)) : error;
}
