/**
 * Build time only: one registry and one set of jobs for the whole build, and results cached by
 * (job, setting) so pages that show the same figure compute it once.
 */
import { doctorJob } from './doctor-job.ts';
import { gradcheck } from './gradcheck-job.ts';
import { createJobs, runJob } from './jobs.ts';
import { startPlayground } from './playground-job.ts';
import type { JobKind, JobResult, SeparateJobKind, Setting } from './protocol.ts';
import { createSiteRegistry } from './registry.ts';
import { rnnTime } from './rnn-job.ts';
import { sanity } from './sanity-job.ts';

export const buildRegistry = createSiteRegistry();
const jobs = createJobs(buildRegistry);
/** Jobs outside jobs.ts (see SeparateJobKind), run from their own modules. */
const SEPARATE: Readonly<Record<SeparateJobKind, (s: Setting) => JobResult>> = {
  'rnn-time': (s) => rnnTime(buildRegistry, s),
  gradcheck: (s) => gradcheck(buildRegistry, s),
  sanity: (s) => sanity(buildRegistry, s),
  doctor: (s) => doctorJob(buildRegistry, s),
  playground: (s) => startPlayground(buildRegistry, s).finish(),
};
const isSeparate = (job: JobKind): job is SeparateJobKind => Object.hasOwn(SEPARATE, job);
const cache = new Map<string, JobResult | { error: string }>();

/** The job's result at build time, or the engine's error message (shown on the page instead of a figure). */
export function computeAtBuild(job: JobKind, setting: Setting): JobResult | { error: string } {
  const key = JSON.stringify([job, Object.entries(setting).sort()]);
  let hit = cache.get(key);
  if (!hit) {
    try {
      hit = isSeparate(job) ? SEPARATE[job](setting) : runJob(jobs, job, setting);
    } catch (err) {
      hit = { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    cache.set(key, hit);
  }
  return hit;
}

/** The result type of job `K` (its `kind` names it). */
export type ResultOf<K extends JobKind> = Extract<JobResult, { readonly kind: K }>;

/**
 * The job's result for something the build cannot do without (a quiz key, a measured label): the
 * engine's error fails the build, naming the run, instead of leaving a silent key. The quiz key modules
 * each had this check written out; it lives here, beside the cache it reads.
 */
export function runAtBuild<K extends JobKind>(job: K, setting: Setting): ResultOf<K> {
  const r = computeAtBuild(job, setting);
  if ('error' in r) throw new Error(`the ${job} run ${JSON.stringify(setting)} failed: ${r.error}`);
  return r as ResultOf<K>;
}
