import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../src/datasets.ts';
import { ExperimentSpecError, SpecIssueCodes } from '../src/errors/index.ts';
import { createSession } from '../src/session.ts';
import type { ExperimentSpec, LayerSpec } from '../src/spec/types.ts';
import { validateExperiment } from '../src/spec/validate.ts';
import { randomData, testRegistry } from './helpers.ts';

/**
 * Property-based tests over tiny networks. Valid specs are built from independent choices
 * (depth, widths, activations, loss for the task, optimizer and options, batch size, optional
 * batch norm, residual skips where widths match, an optional recurrent first layer on sequence
 * data); invalid specs are valid ones with one to three mutations, each of which alone breaks
 * a documented rule.
 */

const ACTIVATIONS = ['linear', 'tanh', 'relu', 'softplus', 'sigmoid'] as const;
const activation = fc.constantFrom(...ACTIVATIONS);
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const optimizer = fc.oneof(
  fc.record({ lr: num(1e-4, 0.5) }).map((o) => ['sgd', o] as const),
  fc
    .record({ lr: num(1e-4, 0.2), momentum: num(0, 0.99), nesterov: fc.boolean() })
    .map((o) => ['momentum', o] as const),
  fc
    .record({ lr: num(1e-4, 0.1), beta1: num(0.5, 0.99), beta2: num(0.9, 0.9999), epsilon: num(1e-10, 1e-6) })
    .map((o) => ['adam', o] as const),
  fc
    .record({ lr: num(1e-4, 0.1), weightDecay: num(0, 0.1) }, { requiredKeys: ['lr'] })
    .map((o) => ['adamw', o] as const),
  fc.constantFrom('sgd', 'adam', ['momentum'] as const),
);

const hiddenLayer = fc.record({
  units: fc.integer({ min: 1, max: 8 }),
  activation,
  residual: fc.boolean(),
  batchnorm: fc.option(activation, { nil: undefined }),
});

interface Case {
  spec: ExperimentSpec;
  data: Dataset;
  /** What the generator chose, for mutations that need it. */
  task: Dataset['task'];
  outputs: number;
  trainRows: number;
}

const validCase: fc.Arbitrary<Case> = fc
  .record({
    seed: fc.nat(1_000_000),
    dataSeed: fc.nat(1000),
    task: fc.constantFrom('regression', 'binary', 'multiclass') as fc.Arbitrary<Dataset['task']>,
    features: fc.integer({ min: 1, max: 4 }),
    outputs: fc.integer({ min: 1, max: 3 }),
    flatSteps: fc.integer({ min: 1, max: 3 }),
    rnn: fc.option(
      fc.record({
        units: fc.integer({ min: 1, max: 8 }),
        steps: fc.integer({ min: 2, max: 5 }),
        truncate: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        activation: fc.option(fc.constantFrom('tanh', 'relu', 'sigmoid'), { nil: undefined }),
      }),
      { nil: undefined },
    ),
    hidden: fc.array(hiddenLayer, { maxLength: 3 }),
    lastActivation: activation,
    logitsLoss: fc.boolean(),
    optimizer,
    batchSize: fc.integer({ min: 1, max: 8 }),
    extraRows: fc.nat(6),
    testFraction: fc.constantFrom(undefined, 0, 0.2),
    std: num(0.05, 1),
    initializerInDefaults: fc.boolean(),
    shuffle: fc.option(fc.boolean(), { nil: undefined }),
    epochs: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  })
  .map((c) => {
    const outputs = c.task === 'multiclass' ? c.outputs + 1 : c.task === 'binary' ? Math.min(c.outputs, 2) : c.outputs;
    const loss = c.logitsLoss && c.task !== 'regression' ? (c.task === 'binary' ? 'bce' : 'softmax-ce') : 'mse';
    const init = ['normal', { std: c.std }] as const;
    const own = c.initializerInDefaults ? {} : { initializer: init };
    const layers: LayerSpec[] = [];
    let width = c.features * (c.rnn ? c.rnn.steps : c.flatSteps);
    if (c.rnn) {
      layers.push({ type: 'rnn', units: c.rnn.units, truncate: c.rnn.truncate, activation: c.rnn.activation, ...own });
      width = c.rnn.units;
    }
    // Depth 1–4 in all: an optional rnn, up to three hidden layers, the output layer.
    for (const h of c.hidden.slice(0, c.rnn ? 2 : 3)) {
      layers.push({
        type: 'dense',
        units: h.units,
        activation: h.activation,
        residual: h.residual && width === h.units,
        ...own,
      });
      width = h.units;
      if (h.batchnorm) layers.push({ type: 'batchnorm', activation: h.batchnorm });
    }
    layers.push({ type: 'dense', units: outputs, activation: loss === 'mse' ? c.lastActivation : 'linear', ...own });
    // Enough rows that the batch fits in the training split.
    const fraction = c.testFraction ?? 0.2;
    const rows = Math.ceil((c.batchSize + c.extraRows) / (1 - fraction)) + 1;
    const data = randomData(rows, c.features, outputs, c.task, c.dataSeed, c.rnn ? c.rnn.steps : c.flatSteps);
    const spec: ExperimentSpec = {
      seed: c.seed,
      model: { ...(c.initializerInDefaults && { defaults: { initializer: init } }), layers },
      train: {
        loss,
        optimizer: c.optimizer as ExperimentSpec['train']['optimizer'],
        batchSize: c.batchSize,
        ...(c.testFraction !== undefined && { testFraction: c.testFraction }),
        ...(c.shuffle !== undefined && { shuffle: c.shuffle }),
        ...(c.epochs !== undefined && { epochs: c.epochs }),
      },
    };
    return {
      spec: JSON.parse(JSON.stringify(spec)),
      data,
      task: c.task,
      outputs,
      trainRows: rows - Math.round(rows * fraction),
    };
  });

describe('random valid specs', () => {
  it('validate cleanly, train one step with a finite loss and finite parameters, and have the right output shape', () => {
    fc.assert(
      fc.property(validCase, ({ spec, data, outputs }) => {
        expect(validateExperiment(spec, testRegistry(), data)).toEqual([]);
        const session = createSession(spec, { registry: testRegistry(), data });
        const { model } = session;
        expect(model.outputSize).toBe(outputs);
        expect(model.inputSize).toBe(data.features * data.steps);
        const result = session.step();
        expect(result.step).toBe(0);
        expect(result.stopped).toBeUndefined();
        expect(Number.isFinite(result.loss)).toBe(true);
        expect(result.loss).toBeGreaterThanOrEqual(0);
        for (const p of model.params) expect(p.value.every(Number.isFinite), p.name).toBe(true);
        const out = model.forward(data.x, data.rows, false);
        expect(out.length).toBe(data.rows * outputs);
        expect(out.every(Number.isFinite)).toBe(true);
        const evaluation = session.evaluate('train');
        expect(Number.isFinite(evaluation.loss)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

// ---- mutations: each one alone makes a valid spec invalid ----
// biome-ignore lint/suspicious/noExplicitAny: mutations edit specs into shapes no type allows
type Loose = any;
type Mutation = (s: Loose, c: Case) => void;

const isObject = (v: unknown): v is Record<string, Loose> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** The spec's layers when they are still a non-empty list of objects, else undefined (mutation is skipped). */
const layersOf = (s: Loose): Loose[] | undefined =>
  isObject(s.model) && Array.isArray(s.model.layers) && s.model.layers.length && s.model.layers.every(isObject)
    ? s.model.layers
    : undefined;
const trainOf = (s: Loose) => (isObject(s.train) ? s.train : undefined);

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const BAD_NUMBERS = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '3', null, true, {}, []];
const TYPO_FIELDS = ['activaton', 'unit', 'lyers', 'batchsize', 'optimiser', 'extra', 'learningRate'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  pick([-1, 1.5, 2 ** 60, ...BAD_NUMBERS]).map(
    (v): Mutation =>
      (s) =>
        (s.seed = v),
  ),
  pick(['seed', 'model', 'train']).map(
    (k): Mutation =>
      (s) =>
        delete s[k],
  ),
  pick(['loss', 'optimizer', 'batchSize']).map(
    (k): Mutation =>
      (s) => {
        const t = trainOf(s);
        if (t) delete t[k];
      },
  ),
  fc.tuple(pick(['root', 'model', 'train', 'layer']), pick(TYPO_FIELDS), fc.nat()).map(
    ([where, key, i]): Mutation =>
      (s) => {
        const layers = layersOf(s);
        const target =
          where === 'root'
            ? s
            : where === 'model'
              ? s.model
              : where === 'train'
                ? s.train
                : layers?.[i % layers.length];
        if (isObject(target)) target[key] = 1;
      },
  ),
  fc.tuple(pick([0, 5000, -1, 2.5, ...BAD_NUMBERS]), fc.nat()).map(
    ([v, i]): Mutation =>
      (s) => {
        const sized = layersOf(s)?.filter((l) => l.type !== 'batchnorm');
        if (sized?.length) sized[i % sized.length].units = v;
      },
  ),
  fc.tuple(fc.nat(), pick(['dense', 'rnn', 'batchnorm'])).map(
    ([i, type]): Mutation =>
      (s) => {
        const layers = layersOf(s);
        if (layers) {
          const layer = layers[i % layers.length];
          if (type === 'dense' && layer.type === 'dense') delete layer.units;
          else delete layer.type;
        }
      },
  ),
  fc
    .tuple(
      pick([
        'tnah',
        'rleu',
        'sigmod',
        'softpuls',
        'lineer',
        'gelu',
        'Tanh',
        5,
        {},
        [],
        null,
        ['tanh', 1],
        ['tanh', { alpha: 1 }],
        ['tanh', {}, {}],
      ]),
      fc.nat(),
    )
    .map(
      ([ref, i]): Mutation =>
        (s) => {
          const layers = layersOf(s);
          if (layers) layers[i % layers.length].activation = ref;
        },
    ),
  pick([
    ['sgd', { lr: -1 }],
    ['sgd', { lr: Number.NaN }],
    ['sgd', { lr: 1e9 }],
    ['adam', { beta1: 1.5 }],
    ['adamw', { weightDecay: -1 }],
    ['momentum', { nesterov: 'yes' }],
    ['sgd', { learningRate: 0.1 }],
    ['sgd', null],
    ['sgd', {}, {}],
    'adm',
    'sdg',
    'SGD',
    5,
    [],
    { lr: 0.1 },
    null,
  ]).map(
    (ref): Mutation =>
      (s) => {
        const t = trainOf(s);
        if (t) t.optimizer = ref;
      },
  ),
  pick([0, -3, 2.5, 70_000, 'big', ...BAD_NUMBERS]).map(
    (v): Mutation =>
      (s) => {
        const t = trainOf(s);
        if (t) t.batchSize = v;
      },
  ),
  fc.constant<Mutation>((s, c) => {
    const t = trainOf(s);
    if (t) t.batchSize = c.trainRows + 1;
  }),
  pick(['mae', 'MSE', 5, null, 'mismatch', 'logits-with-tanh']).map(
    (v): Mutation =>
      (s, c) => {
        const t = trainOf(s);
        if (!t) return;
        if (v === 'mismatch') t.loss = c.task === 'multiclass' ? 'bce' : 'softmax-ce';
        else if (v === 'logits-with-tanh') {
          const layers = layersOf(s);
          if (t.loss === 'mse') t.loss = c.task === 'regression' ? 'bce' : c.task === 'binary' ? 'softmax-ce' : 'bce';
          else if (layers) layers[layers.length - 1].activation = 'tanh';
        } else t.loss = v;
      },
  ),
  pick([{}, 'dense', 3, null, [], [[]], [null]]).map(
    (v): Mutation =>
      (s) => {
        if (isObject(s.model)) s.model.layers = v;
      },
  ),
  fc.constant<Mutation>((s, c) => {
    const layers = layersOf(s);
    if (layers) layers[layers.length - 1].units = c.outputs + 1;
  }),
  fc.constant<Mutation>((s, c) => {
    const layers = layersOf(s);
    if (layers)
      layers.unshift({
        type: 'dense',
        units: c.data.features * c.data.steps + 1,
        residual: true,
        initializer: 'normal',
      });
  }),
  fc.integer({ min: 1, max: 8 }).map(
    (units): Mutation =>
      (s) => {
        const layers = layersOf(s);
        if (layers) layers.splice(1, 0, { type: 'rnn', units, initializer: 'normal', activation: 'tanh' });
      },
  ),
  fc
    .tuple(
      pick(['epochs', 'steps', 'testFraction', 'shuffle', 'checks']),
      pick([-1, 1.5, 0.95, 1e8, 'x', null, Number.NaN]),
    )
    .map(
      ([key, v]): Mutation =>
        (s) => {
          const t = trainOf(s);
          // Map the two values that would be valid for a key to invalid ones (1e8 → 1 for testFraction, 0.95 → 0.5 for counts).
          if (t)
            t[key] =
              key === 'testFraction' && v === 1e8 ? 1 : (key === 'epochs' || key === 'steps') && v === 0.95 ? 0.5 : v;
        },
    ),
  pick(['nromal', ['normal', { std: -1 }], ['normal', { sd: 1 }], ['normal', { std: 'wide' }], null, 5, 'delete']).map(
    (ref): Mutation =>
      (s) => {
        const layers = layersOf(s);
        if (!layers) return;
        const sized = layers.filter((l) => l.type !== 'batchnorm');
        if (ref === 'delete') {
          if (isObject(s.model)) delete s.model.defaults;
          for (const l of sized) delete l.initializer;
        } else if (isObject(s.model) && isObject(s.model.defaults)) s.model.defaults.initializer = ref;
        else sized[0].initializer = ref;
      },
  ),
  fc.tuple(pick(['momentum', 'epsilon']), pick([1.5, -0.1, 0, 2, Number.NaN, '0.1'])).map(
    ([key, v]): Mutation =>
      (s) => {
        const layers = layersOf(s);
        // epsilon ≥ 1e-12 and momentum ∈ [0, 1]: make sure the value breaks the rule for its key.
        const bad = key === 'momentum' && v === 0 ? -1 : key === 'epsilon' && v === -0.1 ? 0 : v;
        if (layers) layers.splice(layers.length - 1, 0, { type: 'batchnorm', [key]: bad });
      },
  ),
  pick([0, 1001, 1.5, 'x', null]).map(
    (v): Mutation =>
      (s) => {
        const layers = layersOf(s);
        if (layers) layers[0].truncate = v; // on a dense layer, truncate is an unknown field
      },
  ),
  fc
    .tuple(pick(['probes', 'regularizers', 'clipping']), pick([['nan-watch'], 'grad-norms', [5], [['l2', {}]], {}]))
    .map(
      ([key, v]): Mutation =>
        (s) => {
          if (key === 'probes') s.probes = v;
          else if (trainOf(s)) s.train[key] = v;
        },
    ),
  pick([
    'xro',
    ['xor', { samples: 0 }],
    ['moons', { nosie: 0.1 }],
    5,
    ['clusters', { classes: 1 }],
    null,
    ['xor', {}, 1],
    [],
  ]).map(
    (ref): Mutation =>
      (s) => {
        s.data = ref;
        s.__noData = true;
      },
  ),
  pick([
    ['name', 5],
    ['description', {}],
    ['$schema', null],
  ] as const).map(
    ([k, v]): Mutation =>
      (s) =>
        (s[k] = v),
  ),
  pick([5, [], { activaton: 'tanh' }, { initializer: 'gleu' }, null]).map(
    (v): Mutation =>
      (s) => {
        if (isObject(s.model)) s.model.defaults = v;
      },
  ),
  pick(['fast', [], null, 3]).map(
    (v): Mutation =>
      (s) =>
        (s.train = v),
  ),
  pick(['model', null, [], 4]).map(
    (v): Mutation =>
      (s) =>
        (s.model = v),
  ),
);

describe('random invalid specs', () => {
  it('always throw ExperimentSpecError listing issues, each with a path and a message', () => {
    fc.assert(
      fc.property(validCase, fc.array(mutation, { minLength: 1, maxLength: 3 }), (c, mutations) => {
        const spec: Loose = structuredClone(c.spec);
        for (const m of mutations) m(spec, c);
        const data = spec.__noData ? undefined : c.data;
        delete spec.__noData;
        let error: unknown;
        try {
          createSession(spec, { registry: testRegistry(), data });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ExperimentSpecError);
        const { issues, message } = error as ExperimentSpecError;
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues) {
          expect(typeof issue.path).toBe('string');
          expect(issue.path.length).toBeGreaterThan(0);
          expect(issue.message.length).toBeGreaterThan(0);
          expect(Object.keys(SpecIssueCodes)).toContain(issue.code);
          // NaN appears only when it is what the spec said.
          expect(issue.message.replaceAll('received NaN', '')).not.toMatch(/NaN|undefined/);
        }
        expect(message).toContain(`${issues.length} problem`);
        expect(validateExperiment(spec, testRegistry(), data)).toEqual(issues);
      }),
      { numRuns: 200 },
    );
  });
});
