import type { OptionsOf, OptionsSchema } from './options.ts';

export type PluginKind = 'activation' | 'initializer' | 'clipping' | 'regularizer' | 'probe';
export const PLUGIN_KINDS: readonly PluginKind[] = ['activation', 'initializer', 'clipping', 'regularizer', 'probe'];

export interface Reference {
  readonly title: string;
  readonly url: string;
  readonly year?: number;
}

export interface PluginMeta<K extends PluginKind = PluginKind> {
  readonly kind: K;
  /** kebab-case, unique per kind, permanent; renames go through `aliases`. */
  readonly id: string;
  readonly title: string;
  /** One sentence ending in a period; package.json `description` ends with it. */
  readonly summary: string;
  readonly aliases?: readonly string[];
  readonly references?: readonly Reference[];
  readonly tags?: readonly string[];
}

/** Every instance knows its id and the options it was made with (saved with models). */
export interface PluginInstance {
  readonly id: string;
  readonly options: Readonly<Record<string, number | string | boolean>>;
}

/**
 * A plugin is a callable definition: call it like a factory (`leakyRelu({ alpha: 0.1 })`);
 * it carries its metadata and option schema so registries, docs and specs can use it.
 */
export interface Definition<K extends PluginKind, S extends OptionsSchema, I, M extends PluginMeta<K>> {
  (options?: Partial<OptionsOf<S>>): I;
  readonly kind: K;
  readonly meta: M;
  readonly options: S;
}

/** Any definition, for registries and tooling that handle every kind. */
export type AnyDefinition =
  | ActivationDefinition
  | InitializerDefinition
  | ClippingDefinition
  | RegularizerDefinition
  | ProbeDefinition;

// ---------- random numbers ----------
/** A seeded random stream. Never `Math.random`: the same seed gives the same numbers everywhere. */
export interface Rng {
  /** Uniform on [0, 1). */
  next(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** An independent, reproducible child stream; the same label gives the same child. */
  fork(label: string): Rng;
}

// ---------- activation ----------
export interface ActivationMeta extends PluginMeta<'activation'> {
  /** LaTeX, rendered by the site. */
  readonly formula: { readonly forward: string; readonly derivative: string };
  /** Closed range of f; ±Infinity allowed. */
  readonly range: readonly [min: number, max: number];
  readonly properties: {
    readonly monotonic: boolean;
    /** f(0) = 0 (ReLU, tanh, GELU…; not sigmoid or softplus). */
    readonly passesThroughOrigin: boolean;
    /**
     * The outputs are centred on zero, in the usual sense (CS231n): for inputs z ~ N(0, 1) the mean
     * of f(z) is 0 within 5% of its RMS, |E f(z)| ≤ 0.05·√E f(z)² (tanh, softsign, SELU; not ReLU,
     * whose mean is 1/√(2π) ≈ 0.40). The testkit integrates both with the default options.
     */
    readonly zeroCentered: boolean;
    /** C¹ everywhere (no kinks). */
    readonly smooth: boolean;
    /** Which side(s) have f' → 0: hint for probes and explainers. */
    readonly saturates: 'none' | 'negative' | 'both';
  };
  /** Points where f' jumps; gradient checks keep away from them. */
  readonly kinks?: readonly number[];
  readonly recommendedInitializer?: string;
}

export interface ActivationFunctions {
  forward(x: number): number;
  /** f'(x). `y = f(x)` is passed so the derivative can reuse it: σ' = y(1 − y), tanh' = 1 − y². */
  derivative(x: number, y: number): number;
  /** Optional vectorised forward: out[i] = f(x[i]) for every i. Must equal the scalar path. */
  forwardInto?(x: Float64Array, out: Float64Array): void;
  /** Optional vectorised derivative: out[i] = f'(x[i]) given y[i] = f(x[i]). */
  derivativeInto?(x: Float64Array, y: Float64Array, out: Float64Array): void;
  /** Recommended weight gain for this activation (PyTorch `calculate_gain`), when one exists. */
  readonly gain?: number;
}

export interface Activation extends ActivationFunctions, PluginInstance {}
export type ActivationDefinition<S extends OptionsSchema = OptionsSchema> = Definition<
  'activation',
  S,
  Activation,
  ActivationMeta
>;

// ---------- initializer ----------
export type ParamRole = 'weight' | 'recurrent' | 'bias' | 'gamma' | 'beta';

/** Fans and role of one parameter tensor; what an initializer's formula depends on. */
export interface InitShape {
  /**
   * Row-major `[rows, cols]`. Weights are stored `fanIn × fanOut` because the engine computes
   * Z = X·W with X of shape batch × fanIn (docs/decisions/0001). Biases are `[1, units]`.
   */
  readonly shape: readonly [rows: number, cols: number];
  readonly fanIn: number;
  readonly fanOut: number;
  readonly role: ParamRole;
  /** Id of the layer's activation, for gain. */
  readonly activation?: string;
  /** The activation's recommended gain, when it declares one. */
  readonly activationGain?: number;
}

export interface InitContext extends InitShape {
  readonly rng: Rng;
  /**
   * A zeroed array of `length` to fill and return in place of a new one, when the caller lends one
   * (the probe runner recycles its memory across runs, decision 0013); absent: allocate.
   */
  readonly buffer?: (length: number) => Float64Array;
}

export interface InitializerFunctions {
  /** A new array of `rows·cols` values. */
  init(ctx: InitContext): Float64Array;
  /** The declared variance of each entry for these fans (the testkit checks samples against it). */
  variance?(shape: InitShape): number;
  /** The declared mean of each entry; 0 when absent. */
  mean?(shape: InitShape): number;
}

export interface Initializer extends InitializerFunctions, PluginInstance {}
export interface InitializerMeta extends PluginMeta<'initializer'> {
  /** LaTeX of the distribution, e.g. `W \sim \mathcal N(0, 2/n_\text{in})`. */
  readonly formula: string;
  readonly family: 'variance-scaling' | 'orthogonal' | 'constant' | 'other';
  readonly pairsWith?: readonly string[];
}
export type InitializerDefinition<S extends OptionsSchema = OptionsSchema> = Definition<
  'initializer',
  S,
  Initializer,
  InitializerMeta
>;

// ---------- clipping (gradient transforms, optax-shaped) ----------
export interface ParamSlot {
  /** "dense_1.W" */
  readonly name: string;
  readonly layer: number;
  readonly role: ParamRole;
  /** Row-major `[rows, cols]`: weights `[fanIn, fanOut]` (a unit is a column), biases `[1, units]`. */
  readonly shape: readonly [rows: number, cols: number];
  readonly value: Float64Array;
}

/** Statistics a transform reports each step (probes and explainers read them). */
export type TransformStats = Readonly<Record<string, number>>;

export interface ClippingFunctions<State = unknown> {
  init?(params: readonly ParamSlot[]): State;
  /**
   * Write the transformed gradients into `out` (same shapes as `grads`, distinct arrays);
   * never mutate `grads` or `params`. Transforms run in spec order (optax `chain`).
   */
  update(
    grads: readonly Float64Array[],
    out: readonly Float64Array[],
    params: readonly ParamSlot[],
    state: State,
  ): { state?: State; stats: TransformStats };
}
export interface Clipping<State = unknown> extends ClippingFunctions<State>, PluginInstance {}
export interface ClippingMeta extends PluginMeta<'clipping'> {
  readonly formula: string;
  /** Whether the transform keeps the direction of the whole gradient (norm rules do, value clipping does not). */
  readonly preservesDirection: boolean | 'per-tensor' | 'per-unit';
}
export type ClippingDefinition<S extends OptionsSchema = OptionsSchema> = Definition<
  'clipping',
  S,
  Clipping,
  ClippingMeta
>;

// ---------- regularizer ----------
export interface RegularizerFunctions {
  /** Which parameter roles this instance applies to. */
  readonly appliesTo: readonly ParamRole[];
  /** The penalty of one tensor, already multiplied by the strength. */
  penalty(w: Float64Array): number;
  /** grad += ∂penalty/∂w (accumulate). */
  addGradient(w: Float64Array, grad: Float64Array): void;
  /**
   * Optional fix-up after the optimizer step, given the tensor before the step
   * (L1 sets weights that crossed zero to exactly zero). Replaces playground's L1 special case.
   */
  afterStep?(w: Float64Array, previous: Float64Array): void;
}
export interface Regularizer extends RegularizerFunctions, PluginInstance {}
export interface RegularizerMeta extends PluginMeta<'regularizer'> {
  readonly formula: string;
}
export type RegularizerDefinition<S extends OptionsSchema = OptionsSchema> = Definition<
  'regularizer',
  S,
  Regularizer,
  RegularizerMeta
>;

// ---------- probes ----------
/** Per-layer view of one training step. Arrays are live engine buffers: read them inside `onStep`, copy to keep. */
export interface LayerTrace {
  readonly index: number;
  readonly type: 'dense' | 'batchnorm' | 'rnn';
  readonly activation: string;
  /** Rows of z/a/dadz/delta: the batch size (for rnn, batch × time steps). */
  readonly rows: number;
  readonly units: number;
  /** True for a residual dense layer (out = f(z) + x): δ reaching it also flows on the identity path. */
  readonly residual?: boolean;
  /** Pre-activations z (rows × units). */
  readonly z: Float64Array;
  /** Activations a = f(z) (rows × units); for residual layers, before the skip is added. */
  readonly a: Float64Array;
  /** f'(z), from the backward pass: probes stay activation-agnostic. */
  readonly dadz: Float64Array;
  /** δ = ∂L/∂z (rows × units). */
  readonly delta: Float64Array;
  /** Main weight (dense W, rnn input W, batchnorm γ) and its gradient as it entered the transforms. */
  readonly W: Float64Array;
  readonly gradW: Float64Array;
  readonly b: Float64Array;
  readonly gradB: Float64Array;
  /**
   * ΔW = W − previousW, the update applied this step (after optimizer, clipping and regularizers'
   * afterStep); present only if a probe `needs` 'updates'. A step whose loss is not finite applies
   * no update, and its ΔW is 0 even where W is infinite (where W − previousW would be NaN). The
   * engine forms it when it is first read in a step, so a probe that needs only its norms can
   * read W and previousW instead and skip a pass (on steps with a finite loss).
   */
  readonly updateW?: Float64Array;
  /** Main weight W as it was before this step's update (W itself when none was applied); with `updateW`. */
  readonly previousW?: Float64Array;
  /** Recurrent weight and gradient (rnn only). */
  readonly Wh?: Float64Array;
  readonly gradWh?: Float64Array;
  /** ‖∂L/∂h_t‖ per time step t (rnn only). */
  readonly timeDeltaNorms?: Float64Array;
}

export interface StepTrace {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly layers: readonly LayerTrace[];
  readonly transforms: readonly { readonly id: string; readonly stats: TransformStats }[];
  /** Every parameter tensor after the step, for sentinels. */
  readonly params: readonly ParamSlot[];
  /** Gradients (same order as params) as they entered the transforms. */
  readonly grads: readonly Float64Array[];
}

export type FindingCode =
  | 'NAN_DETECTED'
  | 'VANISHING_GRADIENTS'
  | 'EXPLODING_GRADIENTS'
  | 'DEAD_UNITS'
  | 'SATURATION'
  | 'UPDATE_RATIO'
  | 'VANISHING_THROUGH_TIME'
  | 'EXPLODING_THROUGH_TIME'
  | 'NORMALIZATION_JUMP'
  | 'LOSS_DIVERGING'
  | 'SYMMETRY';

export interface Finding {
  readonly code: FindingCode;
  readonly severity: 'info' | 'warn' | 'error';
  readonly step: number;
  readonly layer?: number;
  /** What and why. */
  readonly message: string;
  /** What to try, naming plugin ids. */
  readonly hint?: string;
  /** The numbers behind the verdict. */
  readonly evidence: Readonly<Record<string, number | string>>;
}

/** Extra trace data a probe asks the engine to keep (costs memory or time, so only on request). */
export type TraceNeed = 'updates';

export interface ProbeFunctions<Report = unknown> {
  readonly needs?: readonly TraceNeed[];
  onStep?(trace: StepTrace): void | readonly Finding[];
  onEnd?(): void | readonly Finding[];
  /** JSON-serialisable summary. */
  report(): Report;
}
export interface Probe<Report = unknown> extends ProbeFunctions<Report>, PluginInstance {}
export interface ProbeMeta extends PluginMeta<'probe'> {
  readonly emits: readonly FindingCode[];
  readonly cost: 'cheap' | 'per-unit' | 'per-sample';
}
export type ProbeDefinition<S extends OptionsSchema = OptionsSchema> = Definition<'probe', S, Probe, ProbeMeta>;

// ---------- typed ids (module augmentation) ----------
/** Empty maps that plugins augment with `id: typeof options`, so typed specs reject typos. */
export interface ActivationRegistry {}
export interface InitializerRegistry {}
export interface ClippingRegistry {}
export interface RegularizerRegistry {}
export interface ProbeRegistry {}

/** `'gelu'` or `['leaky-relu', { alpha: 0.1 }]`, with only registered ids compiling. */
export type PluginRef<R> = {
  [Id in keyof R & string]: Id | [Id, Partial<R[Id] extends OptionsSchema ? OptionsOf<R[Id]> : never>];
}[keyof R & string];

/** Loose form for JSON specs; checked only at run time. */
export type LoosePluginRef = string | readonly [string, Record<string, unknown>];
