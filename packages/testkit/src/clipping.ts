/**
 * `describeClipping`: the gradient-clipping conformance suite (docs/plugin-contract.md §4). Checks are pure
 * functions returning a {@link CheckResult}; the bound a rule promises is inferred from
 * `meta.preservesDirection` and its options, or passed in as a {@link ClipBound}.
 */
import { createRng } from '@gradlab/core';
import type { Clipping, ClippingMeta, ParamRole, ParamSlot, TransformStats } from '@gradlab/plugin-api';
import { isClose } from './gradcheck.ts';
import {
  type Check,
  type CheckResult,
  describeSuite,
  instantiate,
  type PluginDefinitionLike,
  result,
  type SkipMap,
} from './plugin.ts';

/**
 * The promise a clipping rule makes about its output, as a list of violations (empty = kept).
 * `options` are the instance's resolved options.
 */
export type ClipBound = (
  out: readonly Float64Array[],
  params: readonly ParamSlot[],
  options: Readonly<Record<string, unknown>>,
) => string[];

/** Options of {@link describeClipping}. */
export interface ClippingSuiteOptions {
  /** Check name → written reason for skipping it. */
  readonly skip?: SkipMap;
  /** Options for the instance under test (default: the plugin's defaults). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Several option sets; each runs every check (merged over `options`). */
  readonly cases?: readonly Readonly<Record<string, unknown>>[];
  /** The bound the rule guarantees, when {@link inferClipBound} cannot tell. */
  readonly bound?: ClipBound;
}

/** Slack of every bound: the transformed norm may exceed its limit by round-off only. */
export const BOUND_SLACK = 1e-12;

type Slot = { name: string; layer: number; role: ParamRole; shape: [number, number]; gradScale: number };
/** A network's parameter tensors: two dense layers with biases and a recurrent matrix. */
const LAYOUT: readonly Slot[] = [
  { name: 'dense_0.W', layer: 0, role: 'weight', shape: [8, 6], gradScale: 1 },
  { name: 'dense_0.b', layer: 0, role: 'bias', shape: [1, 6], gradScale: 0.01 },
  { name: 'rnn_1.Wh', layer: 1, role: 'recurrent', shape: [6, 6], gradScale: 3 },
  { name: 'dense_2.W', layer: 2, role: 'weight', shape: [6, 3], gradScale: 0.2 },
  { name: 'dense_2.b', layer: 2, role: 'bias', shape: [1, 3], gradScale: 10 },
];

/** Seeded parameters and gradients; tensors differ in scale so per-tensor rules clip some and not others. */
export function clippingFixture(
  gradScale = 1,
  seed: number | string = 'testkit/clipping',
): { params: ParamSlot[]; grads: Float64Array[] } {
  const rng = createRng(seed);
  const params: ParamSlot[] = [];
  const grads: Float64Array[] = [];
  for (const { name, layer, role, shape, gradScale: s } of LAYOUT) {
    const n = shape[0] * shape[1];
    const value = new Float64Array(n);
    const grad = new Float64Array(n);
    for (let i = 0; i < n; i++) value[i] = (role === 'bias' ? 0.1 : 0.5) * rng.normal();
    for (let i = 0; i < n; i++) grad[i] = gradScale * s * rng.normal();
    params.push({ name, layer, role, shape, value });
    grads.push(grad);
  }
  return { params, grads };
}

/** Run one update on fresh `out` arrays (filled with NaN, so unwritten entries show). */
export function applyClipping(
  clipping: Clipping,
  grads: readonly Float64Array[],
  params: readonly ParamSlot[],
  state: unknown = clipping.init?.(params),
): { out: Float64Array[]; stats: TransformStats; state: unknown } {
  const out = grads.map((g) => new Float64Array(g.length).fill(Number.NaN));
  const r = clipping.update(grads, out, params, state);
  return { out, stats: r?.stats, state: r?.state === undefined ? state : r.state };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));
const concat = (ts: readonly Float64Array[]) => Float64Array.from(ts.flatMap((t) => [...t]));
/** Column j of tensor t, by `params[t].shape` (a bias [1, units] has one entry per column). */
function column(x: Float64Array, shape: readonly [number, number], j: number): Float64Array {
  const [rows, cols] = shape;
  return Float64Array.from({ length: rows }, (_, i) => x[i * cols + j]);
}
const num = (options: Readonly<Record<string, unknown>>, key: string) => options[key] as number;

/** `[message]` when `got` exceeds `limit` by more than {@link BOUND_SLACK}, else `[]`. */
const over = (got: number, limit: number, message: string) => (got <= limit + BOUND_SLACK ? [] : [message]);

/** Value clipping: every |g| ≤ `options[key]`. */
export const valueBound =
  (key = 'clip'): ClipBound =>
  (out, _params, options) =>
    out.flatMap((t, k) => {
      const worst = Math.max(0, ...t.map(Math.abs));
      return over(worst, num(options, key), `tensor ${k}: max |g| = ${worst} > ${key} = ${options[key]}`);
    });

/** Per-tensor norm clipping: every ‖g_k‖ ≤ `options[key]`. */
export const tensorNormBound =
  (key = 'maxNorm'): ClipBound =>
  (out, _params, options) =>
    out.flatMap((t, k) => over(norm(t), num(options, key), `tensor ${k}: ‖g‖ = ${norm(t)} > ${key} = ${options[key]}`));

/** Global-norm clipping: √Σ‖g_k‖² ≤ `options[key]`. */
export const globalNormBound =
  (key = 'maxNorm'): ClipBound =>
  (out, _params, options) => {
    const total = norm(concat(out));
    return over(total, num(options, key), `global norm ${total} > ${key} = ${options[key]}`);
  };

/** Adaptive (unit-wise) clipping: ‖G_u‖ ≤ λ·max(‖W_u‖, ε) for every column u of every tensor. */
export const unitNormBound =
  (clippingKey = 'clipping', epsKey = 'eps'): ClipBound =>
  (out, params, options) =>
    out.flatMap((g, k) => {
      const { name, shape, value } = params[k];
      return Array.from({ length: shape[1] }, (_, j) => {
        const limit = num(options, clippingKey) * Math.max(norm(column(value, shape, j)), num(options, epsKey) ?? 0);
        const got = norm(column(g, shape, j));
        return over(got, limit, `${name} unit ${j}: ‖G_u‖ = ${got} > ${limit}`);
      }).flat();
    });

/**
 * The bound implied by `meta.preservesDirection` and the option names of gradlab's rules:
 * false + `clip` → value; 'per-tensor' + `maxNorm` → tensor norm; true + `maxNorm` → global
 * norm; 'per-unit' + `clipping` → unit norm. `undefined` when it cannot tell.
 */
export function inferClipBound(meta: ClippingMeta, options: Readonly<Record<string, unknown>>): ClipBound | undefined {
  const has = (key: string) => typeof options[key] === 'number';
  if (meta.preservesDirection === false && has('clip')) return valueBound();
  if (meta.preservesDirection === 'per-tensor' && has('maxNorm')) return tensorNormBound();
  if (meta.preservesDirection === true && has('maxNorm')) return globalNormBound();
  if (meta.preservesDirection === 'per-unit' && has('clipping')) return unitNormBound();
  return undefined;
}

/** Runs `fn`, turning a throw into a failure. */
function attempt<T>(what: string, failures: string[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    failures.push(`${what} threw ${(error as Error)?.message ?? String(error)}`);
    return undefined;
  }
}

const copies = (ts: readonly Float64Array[]) => ts.map((t) => Float64Array.from(t));
const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** `update` leaves `grads` and every `params[k].value` bitwise unchanged. */
export function checkClipNoMutation(clipping: Clipping, gradScale = 1): CheckResult {
  const failures: string[] = [];
  const { params, grads } = clippingFixture(gradScale);
  const [g0, p0] = [copies(grads), copies(params.map((p) => p.value))];
  attempt('update', failures, () => applyClipping(clipping, grads, params));
  for (const [k, p] of params.entries()) {
    if (!sameBits(grads[k], g0[k])) failures.push(`grads[${k}] (${p.name}) was mutated`);
    if (!sameBits(p.value, p0[k])) failures.push(`params[${k}].value (${p.name}) was mutated`);
  }
  return result(failures);
}

/** Every entry of `out` is written (NaN-filled before the call) and finite for finite input. */
export function checkClipWritesOut(clipping: Clipping, gradScale = 1): CheckResult {
  const failures: string[] = [];
  const { params, grads } = clippingFixture(gradScale);
  const r = attempt('update', failures, () => applyClipping(clipping, grads, params));
  r?.out.forEach((o, k) => {
    const bad = o.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) failures.push(`out[${k}][${bad}] is ${o[bad]} (not written, or not finite)`);
  });
  return result(failures);
}

/** Gradients far below any threshold (×1e-9) pass through bitwise unchanged. */
export function checkClipIdentityBelow(clipping: Clipping, gradScale = 1e-9): CheckResult {
  const failures: string[] = [];
  const { params, grads } = clippingFixture(gradScale);
  const r = attempt('update', failures, () => applyClipping(clipping, grads, params));
  for (const [k, o] of r?.out.entries() ?? []) {
    if (!sameBits(o, grads[k])) failures.push(`out[${k}] differs from the small gradient it was given`);
  }
  return result(failures);
}

/** After the transform `bound` holds, for mixed (×1) and all-large (×1e4) gradients. */
export function checkClipBound(clipping: Clipping, bound: ClipBound | undefined, scales = [1, 1e4]): CheckResult {
  if (!bound) return result(['cannot infer the bound from meta.preservesDirection and its options; pass `bound`']);
  const failures: string[] = [];
  for (const scale of scales) {
    const { params, grads } = clippingFixture(scale);
    const r = attempt('update', failures, () => applyClipping(clipping, grads, params));
    if (r) failures.push(...bound(r.out, params, clipping.options).map((f) => `gradients ×${scale}: ${f}`));
  }
  return result(failures);
}

/** The vectors whose direction `mode` promises to keep: [label, input, output]. */
function directionGroups(
  mode: ClippingMeta['preservesDirection'],
  grads: readonly Float64Array[],
  out: readonly Float64Array[],
  params: readonly ParamSlot[],
): [string, Float64Array, Float64Array][] {
  if (mode === true) return [['all gradients', concat(grads), concat(out)]];
  if (mode === 'per-tensor') return grads.map((g, k) => [params[k].name, g, out[k]]);
  if (mode !== 'per-unit') return [];
  return grads.flatMap((g, k) =>
    Array.from({ length: params[k].shape[1] }, (_, j): [string, Float64Array, Float64Array] => [
      `${params[k].name} unit ${j}`,
      column(g, params[k].shape, j),
      column(out[k], params[k].shape, j),
    ]),
  );
}

/** cos(g, out) = 1 within 1e-12 for each group: everything (true), each tensor or each unit. */
export function checkClipDirection(
  clipping: Clipping,
  mode: ClippingMeta['preservesDirection'],
  scales = [1, 1e4],
): CheckResult {
  const failures: string[] = [];
  for (const scale of scales) {
    const { params, grads } = clippingFixture(scale);
    const r = attempt('update', failures, () => applyClipping(clipping, grads, params));
    if (!r) continue;
    const groups = directionGroups(mode, grads, r.out, params);
    for (const [name, g, o] of groups) {
      const cos = dot(g, o) / (norm(g) * norm(o));
      if (!(Math.abs(cos - 1) <= 1e-12)) failures.push(`gradients ×${scale}, ${name}: cosine ${cos}, not 1`);
    }
  }
  return result(failures);
}

/** Applying the transform to its own output changes nothing (within 1e-12 relative). */
export function checkClipIdempotent(clipping: Clipping, scales = [1, 1e4]): CheckResult {
  const failures: string[] = [];
  for (const scale of scales) {
    const { params, grads } = clippingFixture(scale);
    const once = attempt('update', failures, () => applyClipping(clipping, grads, params));
    const twice = once && attempt('second update', failures, () => applyClipping(clipping, once.out, params));
    twice?.out.forEach((o, k) => {
      const bad = o.findIndex((v, i) => !isClose(v, once!.out[k][i], 1e-12, 1e-300));
      if (bad >= 0) {
        failures.push(`gradients ×${scale}: out[${k}][${bad}] is ${once!.out[k][bad]} once, ${o[bad]} twice`);
      }
    });
  }
  return result(failures);
}

/** All-zero gradients (with the fixture's parameters, and with zero parameters) give zeros, no NaN. */
export function checkClipZeroGradients(clipping: Clipping): CheckResult {
  const failures: string[] = [];
  const { params, grads } = clippingFixture(0);
  const zeroParams = params.map((p) => ({ ...p, value: new Float64Array(p.value.length) }));
  for (const [label, ps] of [
    ['parameters', params],
    ['zero parameters', zeroParams],
  ] as const) {
    const r = attempt(`update with ${label}`, failures, () => applyClipping(clipping, grads, ps));
    r?.out.forEach((o, k) => {
      const bad = o.findIndex((v) => v !== 0);
      if (bad >= 0) failures.push(`zero gradients with ${label}: out[${k}][${bad}] is ${o[bad]}, not 0`);
    });
    for (const [key, v] of Object.entries(r?.stats ?? {})) {
      if (!Number.isFinite(v)) failures.push(`zero gradients with ${label}: stats.${key} is ${v}`);
    }
  }
  return result(failures);
}

/** The state from `init` is accepted by `update`, and the state `update` returns is accepted by the next one. */
export function checkClipState(clipping: Clipping, steps = 3): CheckResult {
  const failures: string[] = [];
  const { params, grads } = clippingFixture(1);
  let state = attempt('init', failures, () => clipping.init?.(params));
  for (let step = 0; step < steps && failures.length === 0; step++) {
    const r = attempt(`update at step ${step}`, failures, () => applyClipping(clipping, grads, params, state));
    if (r && (typeof r.stats !== 'object' || r.stats === null)) {
      failures.push(`update at step ${step} returned no stats`);
    }
    state = r?.state;
  }
  return result(failures);
}

/**
 * `stats` holds only finite numbers; `preNorm` and `postNorm`, when reported, equal the global
 * L2 norms of the input and the output (rtol 1e-9).
 */
export function checkClipStats(clipping: Clipping, scales = [1, 1e4]): CheckResult {
  const failures: string[] = [];
  for (const scale of scales) {
    const { params, grads } = clippingFixture(scale);
    const r = attempt('update', failures, () => applyClipping(clipping, grads, params));
    if (!r) continue;
    for (const [key, v] of Object.entries(r.stats ?? {})) {
      if (typeof v !== 'number' || !Number.isFinite(v)) failures.push(`gradients ×${scale}: stats.${key} is ${v}`);
    }
    for (const [key, want] of [
      ['preNorm', norm(concat(grads))],
      ['postNorm', norm(concat(r.out))],
    ] as const) {
      const got = r.stats?.[key];
      if (got !== undefined && !isClose(got, want, 1e-9, 0)) {
        failures.push(`gradients ×${scale}: stats.${key} is ${got}, the norm is ${want}`);
      }
    }
  }
  return result(failures);
}

/** Names of every clipping check, for skip maps. */
export const CLIPPING_CHECK_NAMES: readonly string[] = [
  'no-mutation',
  'writes-out',
  'identity-below-threshold',
  'bound',
  'direction',
  'idempotent',
  'zero-gradients',
  'state',
  'stats',
];

/** The clipping checks for one instance; 'direction' only when `meta.preservesDirection` is not false. */
export function clippingChecks(meta: ClippingMeta, clipping: Clipping, bound?: ClipBound): Check[] {
  const b = bound ?? inferClipBound(meta, clipping.options);
  const c = (name: string, title: string, run: () => CheckResult): Check => ({ name, title, run });
  const checks = [
    c('no-mutation', 'does not mutate the gradients or the parameters', () => checkClipNoMutation(clipping)),
    c('writes-out', 'writes every entry of out', () => checkClipWritesOut(clipping)),
    c('identity-below-threshold', 'is the identity (bitwise) below the threshold', () =>
      checkClipIdentityBelow(clipping),
    ),
    c('bound', 'the clipped gradients satisfy the bound (+1e-12)', () => checkClipBound(clipping, b)),
    c('idempotent', 'applying it twice equals applying it once', () => checkClipIdempotent(clipping)),
    c('zero-gradients', 'zero gradients stay zero, with no NaN', () => checkClipZeroGradients(clipping)),
    c('state', 'state threads through init and update', () => checkClipState(clipping)),
    c('stats', 'stats are finite numbers and preNorm/postNorm are the global norms', () => checkClipStats(clipping)),
  ];
  if (meta.preservesDirection !== false) {
    const scope = meta.preservesDirection === true ? 'globally' : meta.preservesDirection;
    const title = `keeps the direction (${scope}): cosine 1 within 1e-12`;
    checks.splice(
      4,
      0,
      c('direction', title, () => checkClipDirection(clipping, meta.preservesDirection)),
    );
  }
  return checks;
}

/**
 * The clipping conformance suite: the "all kinds" checks, then the clipping checks for each option set.
 *
 * ```ts
 * describeClipping(globalNorm, { cases: [{}, { maxNorm: 5 }] });
 * ```
 */
export function describeClipping(
  definition: PluginDefinitionLike<ClippingMeta, Clipping>,
  opts: ClippingSuiteOptions = {},
): void {
  describeSuite(definition, opts, CLIPPING_CHECK_NAMES, (options) =>
    clippingChecks(definition.meta, instantiate(definition, options), opts.bound),
  );
}
