import type { ExperimentSpec } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { cliRegistry } from '../src/plugins.ts';
import { selectProbes } from '../src/probe-selection.ts';

/** The run --probes merge (decision 0021): the flag picks the ids; the spec's entries keep their options. */
const base = {
  seed: 1,
  data: 'xor',
  model: { layers: [{ type: 'dense', units: 1, initializer: 'he' }] },
  train: { loss: 'mse', optimizer: 'sgd', batchSize: 8 },
} as const;
const withProbes = (probes: unknown[]) => ({ ...base, probes }) as unknown as ExperimentSpec;
const installed = cliRegistry()
  .list('probe')
  .map((d) => d.meta.id);

function ids(spec: ExperimentSpec, flag: string | undefined) {
  const { spec: out, extra } = selectProbes(spec, flag, cliRegistry());
  const specIds = (out.probes ?? []).map((r) => (typeof r === 'string' ? r : r[0]));
  return { spec: specIds, extra: extra.map((p) => p.id), all: [...specIds, ...extra.map((p) => p.id)].sort() };
}

describe('selectProbes', () => {
  const spec = withProbes(['nan-watch', ['grad-norms', { window: 7 }]]);

  it('no flag: the spec’s probes when it lists any, else every installed probe', () => {
    expect(ids(spec, undefined)).toEqual({
      spec: ['nan-watch', 'grad-norms'],
      extra: [],
      all: ['grad-norms', 'nan-watch'],
    });
    expect(ids(base as unknown as ExperimentSpec, undefined).all).toEqual([...installed].sort());
  });

  it('none: no probe at all, not even the spec’s (it was ignored)', () => {
    expect(ids(spec, 'none').all).toEqual([]);
  });

  it('all: every installed probe exactly once (it duplicated the spec’s), spec options kept', () => {
    const r = ids(spec, 'all');
    expect(r.all).toEqual([...installed].sort());
    expect(new Set(r.all).size).toBe(r.all.length);
    expect(selectProbes(spec, 'all', cliRegistry()).spec.probes).toContainEqual(['grad-norms', { window: 7 }]);
  });

  it('a list: exactly those, the spec’s entry where it has one, aliases and duplicates folded', () => {
    expect(ids(spec, 'grad-norms,saturation')).toEqual({
      spec: ['grad-norms'],
      extra: ['saturation'],
      all: ['grad-norms', 'saturation'],
    });
    expect(ids(spec, 'saturation,saturation').all).toEqual(['saturation']);
  });

  it('leaves unknown ids in the spec for validation to report', () => {
    expect(ids(withProbes(['grad-nroms']), 'none').spec).toEqual(['grad-nroms']);
  });
});
