/**
 * Build time only: one registry and one set of jobs for the whole build, and results cached by
 * (job, setting) so pages that show the same figure compute it once.
 */
import { createJobs, runJob } from './jobs.ts';
import type { JobKind, JobResult, Setting } from './protocol.ts';
import { createSiteRegistry } from './registry.ts';

export const buildRegistry = createSiteRegistry();
const jobs = createJobs(buildRegistry);
const cache = new Map<string, JobResult | { error: string }>();

/** The job's result at build time, or the engine's error message (shown on the page instead of a figure). */
export function computeAtBuild(job: JobKind, setting: Setting): JobResult | { error: string } {
  const key = JSON.stringify([job, Object.entries(setting).sort()]);
  let hit = cache.get(key);
  if (!hit) {
    try {
      hit = runJob(jobs, job, setting);
    } catch (err) {
      hit = { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    cache.set(key, hit);
  }
  return hit;
}
