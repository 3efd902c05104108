import type { ExperimentSpec, Registry } from '@gradlab/core';
import type { Probe } from '@gradlab/plugin-api';
import { splitList } from './args.ts';
import { resolvePluginId } from './plugins.ts';

/** What `gradlab run` trains: the spec with its `probes` narrowed, plus installed probes to add. */
export interface ProbeSelection {
  readonly spec: ExperimentSpec;
  readonly extra: Probe[];
}

/**
 * The merge of `--probes` with the spec's `probes` (docs/decisions/0021-run-probes-and-out.md):
 * the flag chooses which probe ids run, each at most once; a probe the spec lists keeps the
 * spec's entry (with its options), any other chosen probe is the installed one with a
 * 1000-step window.
 * - no flag: the spec's probes when it lists any, else every installed probe;
 * - `none`: no probe at all, not even the spec's;
 * - `all`: every installed probe;
 * - `a,b`: exactly these.
 */
export function selectProbes(spec: ExperimentSpec, flag: string | undefined, registry: Registry): ProbeSelection {
  const listed = Array.isArray(spec?.probes) ? spec.probes : undefined;
  if (flag === undefined && listed?.length) return { spec, extra: [] };
  const installed = registry.list('probe').map((d) => d.meta.id);
  const chosen =
    flag === undefined || flag === 'all'
      ? installed
      : flag === 'none'
        ? []
        : splitList('probes', flag).map((id) => resolvePluginId(registry, 'probe', id));
  const ids = new Set(chosen);
  // The spec's entries for chosen ids stay (first entry per id); unknown ids are left for validation to report.
  const kept = (listed ?? []).filter((ref) => {
    const raw = typeof ref === 'string' ? ref : Array.isArray(ref) ? ref[0] : undefined;
    const id = typeof raw === 'string' ? (registry.get('probe', raw)?.meta.id ?? raw) : undefined;
    if (id === undefined || !installed.includes(id)) return true;
    if (!ids.has(id)) return false;
    ids.delete(id);
    return true;
  });
  // Keep a longer history than the probes' default, so the written traces cover more of the run.
  const extra = [...ids].map((id) =>
    registry.resolve('probe', 'window' in (registry.get('probe', id)?.options ?? {}) ? [id, { window: 1000 }] : id),
  );
  return { spec: listed ? { ...spec, probes: kept } : spec, extra };
}
