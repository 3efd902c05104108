import { type ClippingFunctions, type ClippingMeta, defineClipping } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  applyClipping,
  checkClipBound,
  checkClipDirection,
  checkClipIdempotent,
  checkClipIdentityBelow,
  checkClipNoMutation,
  checkClipState,
  checkClipStats,
  checkClipWritesOut,
  checkClipZeroGradients,
  clippingChecks,
  clippingFixture,
  describeClipping,
  globalNormBound,
  inferClipBound,
  tensorNormBound,
  unitNormBound,
  valueBound,
} from '../src/clipping.ts';

const options = { maxNorm: { type: 'number', default: 1, description: 'Largest global norm.' } } as const;
const meta = (preservesDirection: ClippingMeta['preservesDirection'] = true) => ({
  kind: 'clipping' as const,
  id: 'fixture',
  title: 'Fixture',
  summary: 'A test fixture.',
  formula: 'g',
  preservesDirection,
});
const norm = (ts: readonly Float64Array[]) => Math.sqrt(ts.reduce((s, t) => s + t.reduce((a, v) => a + v * v, 0), 0));

/** A correct global-norm clip, with hooks to break it one way at a time. */
function globalClip(
  c: number,
  tweak: { factor?: (s: number) => number; stats?: (n: number) => Record<string, number> } = {},
) {
  const fns: ClippingFunctions = {
    update(grads, out) {
      const n = norm(grads);
      const s = tweak.factor ? tweak.factor(n) : n > c ? c / n : 1;
      for (const [k, g] of grads.entries()) out[k].set(s === 1 ? g : g.map((v) => v * s));
      return { stats: tweak.stats ? tweak.stats(n) : { preNorm: n, postNorm: norm(out), scale: s } };
    },
  };
  return fns;
}
const make = (fns: ClippingFunctions, dir: ClippingMeta['preservesDirection'] = true) =>
  defineClipping({ meta: meta(dir), options, create: () => fns })();

const good = make(globalClip(1));

describe('clipping checks pass on a correct global-norm clip', () => {
  for (const check of clippingChecks(meta(), good))
    it(check.name, () => expect(check.run()).toEqual({ ok: true, failures: [] }));
});

describe('each clipping check fails on a broken rule', () => {
  it('no-mutation: clips the gradients in place', () => {
    const inPlace = make({
      update(grads, out, params, state) {
        for (const g of grads) g.fill(0);
        return globalClip(1).update(grads, out, params, state);
      },
    });
    expect(checkClipNoMutation(inPlace).failures[0]).toMatch(/grads\[0\] \(dense_0\.W\) was mutated/);
    const touchesParams = make({
      update(grads, out, params, state) {
        params[2].value[0] += 1;
        return globalClip(1).update(grads, out, params, state);
      },
    });
    expect(checkClipNoMutation(touchesParams).failures[0]).toMatch(/params\[2\]\.value \(rnn_1\.Wh\) was mutated/);
  });

  it('writes-out: forgets the last tensor', () => {
    const lazy = make({
      update(grads, out) {
        for (let k = 0; k < grads.length - 1; k++) out[k].set(grads[k]);
        return { stats: {} };
      },
    });
    expect(checkClipWritesOut(lazy).failures[0]).toMatch(/out\[4\]\[0\] is NaN/);
  });

  it('identity-below-threshold: always rescales to maxNorm', () => {
    const always = make(globalClip(1, { factor: (n) => 1 / n }));
    expect(checkClipIdentityBelow(always).ok).toBe(false);
  });

  it('bound: overshoots by 10%', () => {
    const overshoot = make(globalClip(1, { factor: (n) => (n > 1 ? 1.1 / n : 1) }));
    expect(checkClipBound(overshoot, globalNormBound()).failures[0]).toMatch(/global norm 1\.1\d* > maxNorm = 1/);
    expect(checkClipBound(good, undefined).failures[0]).toMatch(/cannot infer the bound/);
  });

  it('direction: clamps entries but claims to keep the direction', () => {
    const clamp = make({
      update(grads, out) {
        for (const [k, g] of grads.entries()) out[k].set(g.map((v) => Math.max(-0.1, Math.min(0.1, v))));
        return { stats: {} };
      },
    });
    expect(checkClipDirection(clamp, true).failures[0]).toMatch(/all gradients: cosine 0\.\d+, not 1/);
    expect(checkClipDirection(clamp, 'per-tensor').failures.length).toBeGreaterThan(1);
    expect(checkClipDirection(clamp, 'per-unit').failures.length).toBeGreaterThan(1);
  });

  it('idempotent: shrinks by 10% whenever any norm exceeds the limit', () => {
    const creeping = make(globalClip(1, { factor: (n) => (n > 1 ? 0.9 : 1) }));
    expect(checkClipIdempotent(creeping).failures[0]).toMatch(/once, .* twice/);
  });

  it('zero-gradients: divides by the norm unguarded (0/0 = NaN)', () => {
    const unguarded = make(globalClip(1, { factor: (n) => Math.min(1, 1 / n) * (n / n) }));
    expect(checkClipZeroGradients(unguarded).failures[0]).toMatch(/is NaN, not 0/);
    const nanStats = make(globalClip(1, { stats: (n) => ({ scale: 1 / n }) }));
    expect(checkClipZeroGradients(nanStats).failures[0]).toMatch(/stats\.scale is Infinity/);
  });

  it('state: loses the state that init created', () => {
    const forgetful = make({
      init: () => ({ steps: 0 }),
      update(grads, out, params, state: { steps: number } | null) {
        const next = state!.steps + 1; // throws once the state has been dropped
        globalClip(1).update(grads, out, params, state);
        return { state: next > 1 ? null : { steps: next }, stats: {} };
      },
    } as ClippingFunctions<{ steps: number } | null>);
    expect(checkClipState(forgetful).failures[0]).toMatch(/update at step 2 threw/);
  });

  it('stats: a non-finite value, and a preNorm that is not the norm', () => {
    expect(checkClipStats(make(globalClip(1, { stats: () => ({ scale: Number.NaN }) }))).failures[0]).toMatch(
      /stats\.scale is NaN/,
    );
    const squared = make(globalClip(1, { stats: (n) => ({ preNorm: n * n }) }));
    expect(checkClipStats(squared).failures[0]).toMatch(/stats\.preNorm is .*, the norm is/);
  });
});

describe('bounds', () => {
  const { params } = clippingFixture(1);
  const out = params.map((p) => Float64Array.from(p.value, (_, i) => (i === 0 ? 2 : 0)));
  it('valueBound flags entries above clip', () => expect(valueBound()(out, params, { clip: 1 })).toHaveLength(5));
  it('tensorNormBound flags tensors above maxNorm', () =>
    expect(tensorNormBound()(out, params, { maxNorm: 1.5 })).toHaveLength(5));
  it('globalNormBound flags the total', () => expect(globalNormBound()(out, params, { maxNorm: 4 })).toHaveLength(1));
  it('unitNormBound flags column 0 of each tensor', () => {
    expect(unitNormBound()(out, params, { clipping: 0.01, eps: 1e-3 })).toHaveLength(5);
  });
  it('inferClipBound reads preservesDirection and the option names', () => {
    expect(inferClipBound(meta(false), { clip: 1 })).toBeTypeOf('function');
    expect(inferClipBound(meta('per-unit'), { clipping: 0.01 })).toBeTypeOf('function');
    expect(inferClipBound(meta(true), { threshold: 1 })).toBeUndefined();
  });
});

it('applyClipping keeps the previous state when update returns none', () => {
  const { params, grads } = clippingFixture(1);
  expect(applyClipping(good, grads, params, 'kept').state).toBe('kept');
});

it('direction is only checked when meta.preservesDirection is not false', () => {
  expect(clippingChecks(meta(false), good).map((c) => c.name)).not.toContain('direction');
});

describe('describeClipping registers a full suite for an inline plugin', () => {
  describeClipping(defineClipping({ meta: meta(), options, create: ({ maxNorm }) => globalClip(maxNorm) }), {
    cases: [{}, { maxNorm: 3 }],
  });
});
