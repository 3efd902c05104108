/** gradlab against tfjs (CPU and WASM backends) on one shape, in interleaved rounds. */
import { type Session, useKernels } from '@gradlab/core';
import {
  type ActivationId,
  benchData,
  flopsPerStep,
  gradlabSession,
  LEARNING_RATE,
  type Shape,
  shapeName,
} from './gradlab.ts';
import { collectGarbage, estimate, median, quantile, repsFor, timeBlock } from './stats.ts';
import { createTfModel, type TfBackend, type TfModel, useBackend, VARIANTS, type Variant } from './tfjs.ts';

export interface Budget {
  /** Wall time for the timed rounds of one row, after warm-up. */
  readonly ms: number;
  readonly minRounds: number;
  readonly maxRounds: number;
  /** Each timed block repeats the step until it lasts at least this long. */
  readonly blockMs: number;
  /** Interleaved rounds per formulation when picking the faster tfjs formulation. */
  readonly variantRounds: number;
  /** Untimed steps of each engine before anything is timed (JIT, caches, tfjs kernel setup). */
  readonly warmupMs: number;
}

export interface EngineResult {
  /** Median ms per step over rounds. */
  readonly ms: number;
  readonly gflops: number;
  /** Per-round time ratio engine / gradlab; > 1 means gradlab is faster. */
  readonly ratio?: { median: number; p25: number; p75: number };
  readonly variant?: Variant;
  readonly variantMs?: Partial<Record<Variant, number>>;
  readonly samples: number[];
}

export interface RowResult {
  readonly shape: Shape;
  readonly activation: ActivationId;
  readonly rounds: number;
  readonly flops: number;
  /** gradlab with the wasm SIMD kernels (the default where wasm SIMD runs). */
  readonly gradlab: EngineResult;
  /** The same gradlab step with the JavaScript kernels (`useKernels('js')`): ratio = js time / wasm time. */
  readonly js: EngineResult;
  readonly tfjs: Partial<Record<TfBackend, EngineResult>>;
  /** Relative loss differences gradlab vs tfjs before training and after one step (float64 vs float32). */
  readonly lossAgreement: number;
  readonly finalLoss: number;
}

interface Timed {
  readonly name: 'gradlab' | 'js' | TfBackend;
  readonly step: () => void;
  readonly before: () => Promise<void>;
  reps: number;
  readonly samples: number[];
}

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-30);

/** Current weights of a gradlab session, layer by layer. */
function weightsOf(session: Session): { W: Float64Array; b: Float64Array }[] {
  return session.model.layers.map((layer) => ({
    W: Float64Array.from(layer.params[0].value),
    b: Float64Array.from(layer.params[1].value),
  }));
}

/** Pick the faster tfjs formulation by interleaving them for a few rounds. */
async function pickVariant(model: TfModel, budget: Budget): Promise<Partial<Record<Variant, number>>> {
  await useBackend(model.backend);
  const samples: Record<Variant, number[]> = { 'matmul+add': [], 'fused-bias': [] };
  const reps: Partial<Record<Variant, number>> = {};
  for (const v of VARIANTS) {
    model.variant = v;
    reps[v] = repsFor(estimate(model.step, budget.warmupMs / 2, 2), budget.blockMs);
  }
  for (let r = 0; r < budget.variantRounds; r++) {
    for (const v of r % 2 ? [...VARIANTS].reverse() : VARIANTS) {
      model.variant = v;
      collectGarbage();
      samples[v].push(timeBlock(model.step, reps[v]!));
    }
  }
  const ms = Object.fromEntries(VARIANTS.map((v) => [v, median(samples[v])])) as Record<Variant, number>;
  model.variant = VARIANTS.reduce((best, v) => (ms[v] < ms[best] ? v : best));
  return ms;
}

export async function compareRow(
  shape: Shape,
  activation: ActivationId,
  backends: readonly TfBackend[],
  budget: Budget,
  log: (line: string) => void,
): Promise<RowResult> {
  const data = benchData(shape.width, shape.batch);
  const session = gradlabSession(shape, activation, { data });
  const jsSession = gradlabSession(shape, activation, { data });
  const flops = flopsPerStep(shape);
  const models = new Map<TfBackend, TfModel>();
  for (const b of backends) {
    models.set(b, await createTfModel(b, shape, activation, weightsOf(session), data.x, data.y, LEARNING_RATE));
  }

  // Equivalence: the same loss before training and after one SGD step (float32 vs float64).
  let agreement = 0;
  const gl0 = session.evaluate('train').loss;
  session.step();
  jsSession.step();
  const gl1 = session.evaluate('train').loss;
  for (const [b, m] of models) {
    await useBackend(b);
    const t0 = m.loss();
    m.step();
    const t1 = m.loss();
    agreement = Math.max(agreement, relDiff(gl0, t0), relDiff(gl1, t1));
  }

  const variantMs = new Map<TfBackend, Partial<Record<Variant, number>>>();
  for (const [b, m] of models) variantMs.set(b, await pickVariant(m, budget));

  // Kernels are chosen process-wide, so each gradlab engine selects its own before its block.
  const engines: Timed[] = [
    {
      name: 'gradlab',
      step: () => {
        session.step();
      },
      before: async () => {
        useKernels('wasm');
      },
      reps: 1,
      samples: [],
    },
    {
      name: 'js',
      step: () => {
        jsSession.step();
      },
      before: async () => {
        useKernels('js');
      },
      reps: 1,
      samples: [],
    },
    ...[...models].map(
      ([b, m]): Timed => ({ name: b, step: m.step, before: () => useBackend(b), reps: 1, samples: [] }),
    ),
  ];
  for (const e of engines) {
    await e.before();
    const leakCheck = e.name === 'gradlab' || e.name === 'js' ? undefined : models.get(e.name)!;
    const tensorsBefore = leakCheck?.tensors();
    e.reps = repsFor(estimate(e.step, budget.warmupMs), budget.blockMs);
    if (leakCheck && leakCheck.tensors() !== tensorsBefore) throw new Error(`tfjs ${e.name} step leaks tensors`);
  }

  const ratios = new Map<string, number[]>(engines.slice(1).map((e) => [e.name, []]));
  let rounds = 0;
  const t0 = performance.now();
  while (rounds < budget.maxRounds && (rounds < budget.minRounds || performance.now() - t0 < budget.ms)) {
    // Rotate the order each round so no engine always runs right after another's garbage.
    const order = engines.map((_, i) => engines[(i + rounds) % engines.length]);
    const round = new Map<string, number>();
    for (const e of order) {
      await e.before();
      collectGarbage();
      const ms = timeBlock(e.step, e.reps);
      e.samples.push(ms);
      round.set(e.name, ms);
    }
    for (const e of engines.slice(1)) ratios.get(e.name)!.push(round.get(e.name)! / round.get('gradlab')!);
    rounds++;
  }
  useKernels('auto');
  const stopped = session.stopped ?? jsSession.stopped;
  if (stopped) throw new Error(`gradlab stopped on ${shapeName(shape)} ${activation}: ${stopped.message}`);

  const result = (e: Timed): EngineResult => {
    const ms = median(e.samples);
    const r = ratios.get(e.name);
    const model = e.name === 'gradlab' || e.name === 'js' ? undefined : models.get(e.name as TfBackend);
    return {
      ms,
      gflops: flops / ms / 1e6,
      ...(r ? { ratio: { median: median(r), p25: quantile(r, 0.25), p75: quantile(r, 0.75) } } : {}),
      ...(model ? { variant: model.variant, variantMs: variantMs.get(model.backend) } : {}),
      samples: e.samples,
    };
  };
  const finalLoss = session.evaluate('train').loss;
  const row: RowResult = {
    shape,
    activation,
    rounds,
    flops,
    gradlab: result(engines[0]),
    js: result(engines[1]),
    tfjs: Object.fromEntries(engines.slice(2).map((e) => [e.name, result(e)])),
    lossAgreement: agreement,
    finalLoss,
  };
  for (const m of models.values()) {
    await useBackend(m.backend);
    m.dispose();
  }
  log(
    `  ${shapeName(shape)} ${activation}: ${rounds} rounds, gradlab ${row.gradlab.ms.toFixed(3)} ms, js ${row.js.ms.toFixed(3)} ms (${row.js.ratio!.median.toFixed(2)}x)` +
      Object.entries(row.tfjs)
        .map(([b, r]) => `, ${b} ${r.ms.toFixed(3)} ms (${r.ratio!.median.toFixed(2)}x)`)
        .join(''),
  );
  return row;
}
