import { describe, expect, it } from 'vitest';
import { ExperimentSpecError } from '../src/errors/index.ts';
import { createRegistry } from '../src/registry.ts';
import { createSession } from '../src/session.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import { validateExperiment } from '../src/spec/validate.ts';
import { randomData, testNormal, testRegistry } from './helpers.ts';

/** A valid spec on the built-in `xor` dataset (200 rows, 2 features, 1 binary output). */
function xorSpec(): ExperimentSpec {
  return {
    seed: 1,
    data: 'xor',
    model: {
      defaults: { initializer: 'normal' },
      layers: [
        { type: 'dense', units: 4, activation: 'tanh' },
        { type: 'dense', units: 1 },
      ],
    },
    train: { loss: 'bce', optimizer: ['adam', { lr: 0.01 }], batchSize: 16 },
  };
}

/** Invalid specs do not type-check; tests edit loosely typed clones. */
// biome-ignore lint/suspicious/noExplicitAny: tests build invalid specs on purpose
type Loose = any;

/** A deep copy of the xor spec with `edit` applied. */
function mutate(edit: (s: Loose) => void): unknown {
  const s = structuredClone(xorSpec());
  edit(s);
  return s;
}

const issuesOf = (spec: unknown) => validateExperiment(spec, testRegistry());
const paths = (spec: unknown) => issuesOf(spec).map((i) => `${i.path} ${i.code}`);

/** The ExperimentSpecError createSession throws for `spec`. */
function specError(spec: unknown, data?: Parameters<typeof createSession>[1]['data']): ExperimentSpecError {
  try {
    createSession(spec as ExperimentSpec, { registry: testRegistry(), data });
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentSpecError);
    return error as ExperimentSpecError;
  }
  throw new Error('expected an ExperimentSpecError');
}

describe('valid specs', () => {
  it('have no issues', () => {
    expect(issuesOf(xorSpec())).toEqual([]);
    expect(
      issuesOf({
        $schema: 'https://gradlab.dev/schema/experiment.schema.json',
        name: 'rnn',
        description: 'adding problem',
        seed: 0,
        data: ['adding', { samples: 50, steps: 6 }],
        model: {
          layers: [
            {
              type: 'rnn',
              units: 4,
              initializer: 'normal',
              recurrentInitializer: ['identity', { gain: 1 }],
              truncate: 3,
            },
            { type: 'batchnorm', momentum: 0.2, epsilon: 1e-3 },
            { type: 'dense', units: 4, activation: 'relu', initializer: 'normal', residual: true },
            { type: 'dense', units: 1, initializer: 'normal', biasInitializer: ['normal', { std: 0.1 }] },
          ],
        },
        train: {
          loss: 'mse',
          optimizer: ['momentum', { lr: 0.01, nesterov: true }],
          batchSize: 40,
          epochs: 2,
          steps: 3,
          testFraction: 0.2,
          shuffle: false,
          checks: 'off',
        },
        probes: [],
      }),
    ).toEqual([]);
  });
});

describe('every problem at once', () => {
  it('lists five problems with paths, each naming the field and the fix', () => {
    const spec = mutate((s) => {
      s.seed = -1;
      s.model.layers[0].units = 0;
      s.model.layers[0].activation = 'tnah';
      s.model.layers[1].unit = 1;
      s.train.optimizer = ['adam', { lr: -0.1 }];
    });
    const err = specError(spec);
    expect(err.issues.map((i) => i.code)).toEqual([
      'OutOfRange',
      'UnknownPlugin',
      'OutOfRange',
      'UnknownField',
      'InvalidPluginOption',
    ]);
    expect(err.message).toMatchInlineSnapshot(`
      "The experiment spec has 5 problems:
        - \`seed\`: must be a whole number ≥ 0: the seed of every random stream, e.g. 1 (received -1).
        - \`model.layers[0].activation\`: Unknown activation "tnah". Did you mean "tanh"? Registered activations: linear, relu, sigmoid, softplus, tanh.
          Official plugins are published as @gradlab/activation-<id>: install one (or @gradlab/preset-standard) and add it with registry.use(…).
        - \`model.layers[0].units\`: must be a whole number between 1 and 4096: the layer width (received 0).
        - \`model.layers[1].unit\`: is not a field of this object. Did you mean \`units\`?
          Allowed fields: type, units, activation, initializer, biasInitializer, residual.
        - \`train.optimizer[1].lr\`: Option \`lr\` of optimizer "adam" must be a finite number between 0 and 100 (received -0.1).
          Learning rate η."
    `);
    expect(err.hint).toMatchInlineSnapshot(
      `"Every problem is listed with its path; the JSON Schema @gradlab/core/schema/experiment.schema.json describes valid specs."`,
    );
  });

  it('reads well for missing sections and wrong types', () => {
    const err = specError({ seed: '1', model: { layers: {} }, trian: {} });
    expect(err.message).toMatchInlineSnapshot(`
      "The experiment spec has 5 problems:
        - \`trian\`: is not a field of this object. Did you mean \`train\`?
          Allowed fields: $schema, name, description, seed, data, model, train, probes.
        - \`seed\`: must be a whole number ≥ 0: the seed of every random stream, e.g. 1 (received "1").
        - \`data\`: is required unless data is passed to createSession().
          Datasets: xor, circles, spirals, moons, clusters, teacher, gaussian, sine, adding.
        - \`model.layers\`: must be an array (received an object).
        - \`train\`: is required, e.g. { "loss": "mse", "optimizer": "adam", "batchSize": 32 }."
    `);
  });
});

describe('cross-field rules', () => {
  it('residual layers need input width = units', () => {
    const spec = mutate((s) => {
      s.model.layers.splice(1, 0, { type: 'dense', units: 3, residual: true });
    });
    const [issue] = issuesOf(spec);
    expect(issue.path).toBe('model.layers[1].residual');
    expect(issue.code).toBe('Incompatible');
    expect(issue.message).toMatchInlineSnapshot(`"needs the input width (4) to equal units (3)."`);
    // 4 → 4 is fine
    expect(issuesOf(mutate((s) => s.model.layers.splice(1, 0, { type: 'dense', units: 4, residual: true })))).toEqual(
      [],
    );
  });

  it('a recurrent layer must come first', () => {
    const spec = mutate((s) => s.model.layers.splice(1, 0, { type: 'rnn', units: 4 }));
    expect(paths(spec)).toEqual(['model.layers[1].type Incompatible']);
    expect(issuesOf(spec)[0].message).toMatchInlineSnapshot(
      `"a recurrent layer must be the first layer (it reads the whole sequence)."`,
    );
  });

  it("a recurrent layer's default activation is tanh, which must be registered", () => {
    const spec = mutate((s) => {
      s.data = ['adding', { samples: 40, steps: 4 }];
      s.train.loss = 'mse';
      s.model.layers[0] = { type: 'rnn', units: 4 };
    });
    expect(issuesOf(spec)).toEqual([]);
    const withoutTanh = createRegistry().use([testNormal]);
    const issues = validateExperiment(spec, withoutTanh);
    expect(issues.map((i) => `${i.path} ${i.code}`)).toEqual(['model.layers[0].activation (default) UnknownPlugin']);
  });

  it("the last layer's width must equal the data's outputs", () => {
    const spec = mutate((s) => {
      s.model.layers[1].units = 2;
    });
    const [issue] = issuesOf(spec);
    expect(`${issue.path}: ${issue.message} ${issue.hint}`).toMatchInlineSnapshot(
      `"model.layers[1]: outputs 2 values but the data has 1 target per row. Make the last layer a dense layer with units: 1."`,
    );
    // A trailing batch-norm layer keeps the width of the layer before it.
    expect(issuesOf(mutate((s) => s.model.layers.push({ type: 'batchnorm' })))).toEqual([]);
  });

  it('momentum refuses dampening with nesterov, as PyTorch does', () => {
    const spec = mutate((s) => (s.train.optimizer = ['momentum', { nesterov: true, dampening: 0.1 }]));
    expect(paths(spec)).toEqual(['train.optimizer[1].dampening Incompatible']);
    expect(issuesOf(mutate((s) => (s.train.optimizer = ['momentum', { dampening: 0.1 }])))).toEqual([]);
  });

  it('the loss must fit the task', () => {
    expect(paths(mutate((s) => (s.train.loss = 'softmax-ce')))).toEqual(['train.loss Incompatible']);
    const regression = randomData(10, 2, 1, 'regression', 1);
    const spec = mutate((s) => delete s.data);
    expect(
      validateExperiment(spec, testRegistry(), regression).map((i) => `${i.path}: ${i.message} ${i.hint}`),
    ).toMatchInlineSnapshot(`
      [
        "train.batchSize: is 16 but only 8 rows are left for training. Lower batchSize or generate more samples.",
        "train.loss: "bce" does not fit regression data. Use "mse" or "mse-sum".",
      ]
    `);
    const multiclass = randomData(10, 2, 3, 'multiclass', 1);
    const softmax = mutate((s) => {
      delete s.data;
      s.model.layers[1].units = 3;
      s.train.loss = 'softmax-ce';
      s.train.batchSize = 8;
    });
    expect(validateExperiment(softmax, testRegistry(), multiclass)).toEqual([]);
    // mse fits every task
    expect(
      validateExperiment(
        { ...(softmax as object), train: { loss: 'mse', optimizer: 'sgd', batchSize: 8 } },
        testRegistry(),
        multiclass,
      ),
    ).toEqual([]);
  });

  it('losses from logits need a linear last activation (aliases of linear count)', () => {
    const sigmoidOut = mutate((s) => (s.model.layers[1].activation = 'sigmoid'));
    const [issue] = issuesOf(sigmoidOut);
    expect(issue.path).toBe('model.layers[1].activation');
    expect(issue.message).toMatchInlineSnapshot(
      `"must be "linear": "bce" reads logits and applies the sigmoid itself, stably."`,
    );
    expect(issuesOf(mutate((s) => (s.model.layers[1].activation = 'identity-activation')))).toEqual([]);
    expect(issuesOf(mutate((s) => (s.model.defaults.activation = 'tanh')))).toHaveLength(1);
  });

  it('the batch cannot be larger than the training rows', () => {
    // xor has 200 rows; 20% are held out, so 160 remain.
    expect(issuesOf(mutate((s) => (s.train.batchSize = 160)))).toEqual([]);
    const [issue] = issuesOf(mutate((s) => (s.train.batchSize = 161)));
    expect(`${issue.path} ${issue.code}: ${issue.message}`).toMatchInlineSnapshot(
      `"train.batchSize Incompatible: is 161 but only 160 rows are left for training."`,
    );
    expect(issuesOf(mutate((s) => Object.assign(s.train, { batchSize: 200, testFraction: 0 })))).toEqual([]);
    expect(paths(mutate((s) => (s.data = ['xor', { samples: 10 }])))).toEqual(['train.batchSize Incompatible']);
    const data = randomData(12, 2, 1, 'binary', 1);
    expect(
      specError(
        mutate((s) => delete s.data),
        data,
      ).issues.map((i) => i.path),
    ).toEqual(['train.batchSize']);
  });

  it('an initializer is required for weights, here or in defaults', () => {
    const spec = mutate((s) => delete s.model.defaults);
    expect(issuesOf(spec).map((i) => `${i.path}: ${i.message} ${i.hint}`)).toMatchInlineSnapshot(`
      [
        "model.layers[0].initializer: is required (here or in model.defaults.initializer). For ReLU-family activations try "he"; for tanh or sigmoid, "glorot".",
        "model.layers[1].initializer: is required (here or in model.defaults.initializer). For ReLU-family activations try "he"; for tanh or sigmoid, "glorot".",
      ]
    `);
  });
});

describe('limits', () => {
  it.each([0, 5000, 2.5, Number.NaN, -8])('width %s is refused at model.layers[0].units', (units) => {
    const issues = issuesOf(mutate((s) => (s.model.layers[0].units = units)));
    expect(issues.map((i) => i.path)).toEqual(['model.layers[0].units']);
    expect(issues[0].message).toContain('4096');
  });

  it.each([
    ['NaN', Number.NaN, 'received NaN'],
    ['negative', -0.01, 'received -0.01'],
    ['Infinity', Number.POSITIVE_INFINITY, 'received Infinity'],
    ['above the maximum', 1000, 'between 0 and 100'],
    ['a string', '0.1', 'received "0.1"'],
  ])('a learning rate that is %s is refused with its path', (_name, lr, text) => {
    const issues = issuesOf(mutate((s) => (s.train.optimizer = ['sgd', { lr }])));
    expect(issues.map((i) => `${i.path} ${i.code}`)).toEqual(['train.optimizer[1].lr InvalidPluginOption']);
    expect(issues[0].message).toContain(text);
  });

  it('refuses too many layers and too many parameters', () => {
    const deep = mutate((s) => {
      s.model.layers = [
        ...Array.from({ length: 1000 }, () => ({ type: 'dense', units: 1 })),
        { type: 'dense', units: 1 },
      ];
    });
    expect(paths(deep)).toEqual(['model.layers OutOfRange']);
    const wide = mutate((s) => {
      s.model.layers = [
        ...Array.from({ length: 4 }, () => ({ type: 'dense', units: 4096 })),
        { type: 'dense', units: 1 },
      ];
    });
    // xor has 2 features: (2 + 1)·4096 + 3·(4096 + 1)·4096 + (4096 + 1)·1 weights and biases.
    const count = (2 + 1) * 4096 + 3 * (4096 + 1) * 4096 + (4096 + 1) * 1;
    expect(issuesOf(wide).map((i) => `${i.path}: ${i.message}`)).toEqual([
      `model.layers: has ${count} parameters; the limit is 50000000.`,
    ]);
  });

  it('refuses an empty layer list without inventing a width problem', () => {
    expect(paths(mutate((s) => (s.model.layers = [])))).toEqual(['model.layers OutOfRange']);
  });
});

describe('shapes of the spec', () => {
  it.each<[string, (s: Loose) => void, string[]]>([
    ['a spec that is not an object', () => {}, []],
    ['layers that are not an array', (s: Loose) => (s.model.layers = { type: 'dense' }), ['model.layers InvalidType']],
    ['a layer that is not an object', (s: Loose) => (s.model.layers[0] = 'dense'), ['model.layers[0] InvalidType']],
    ['a layer without a type', (s: Loose) => delete s.model.layers[0].type, ['model.layers[0].type Required']],
    ['an unknown layer type', (s: Loose) => (s.model.layers[0].type = 'conv'), ['model.layers[0].type OutOfRange']],
    [
      'null as an activation',
      (s: Loose) => (s.model.layers[0].activation = null),
      ['model.layers[0].activation InvalidPluginRef'],
    ],
    ['a number as a name', (s: Loose) => (s.name = 3), ['name InvalidType']],
    ['unknown fields', (s: Loose) => Object.assign(s.train, { lr: 0.1 }), ['train.lr UnknownField']],
    ['a missing train section', (s: Loose) => delete s.train, ['train Required']],
    ['a missing loss', (s: Loose) => delete s.train.loss, ['train.loss Required']],
    ['a missing optimizer', (s: Loose) => delete s.train.optimizer, ['train.optimizer Required']],
    ['an unknown optimizer', (s: Loose) => (s.train.optimizer = 'adm'), ['train.optimizer UnknownPlugin']],
    [
      'an unknown dataset option',
      (s: Loose) => (s.data = ['xor', { sampels: 10 }]),
      ['data[1].sampels UnknownPluginOption'],
    ],
    ['a missing dataset', (s: Loose) => delete s.data, ['data Required']],
    ['a probe that is not registered', (s: Loose) => (s.probes = ['nan-watch']), ['probes[0] UnknownPlugin']],
    ['clipping that is not a list', (s: Loose) => (s.train.clipping = 'global-norm'), ['train.clipping InvalidType']],
  ])('%s', (name, edit, expected) => {
    const spec = name.startsWith('a spec that') ? [xorSpec()] : mutate(edit);
    const issues = issuesOf(spec);
    if (expected.length) expect(issues.map((i) => `${i.path} ${i.code}`)).toEqual(expected);
    else expect(issues.map((i) => `${i.path} ${i.code}`)).toEqual([' InvalidType']);
  });

  it('suggests the field meant by a typo', () => {
    const [issue] = issuesOf(mutate((s) => (s.train.batchsize = 3)));
    expect(`${issue.path}: ${issue.message} ${issue.hint}`).toMatchInlineSnapshot(
      `"train.batchsize: is not a field of this object. Did you mean \`batchSize\`? Allowed fields: loss, optimizer, batchSize, epochs, steps, testFraction, shuffle, regularizers, clipping, checks."`,
    );
  });

  it('suggests the dataset and optimizer meant by a typo', () => {
    expect(issuesOf(mutate((s) => (s.data = 'xro')))[0].message).toMatchInlineSnapshot(
      `"Unknown dataset "xro". Did you mean "xor"? Available: xor, circles, spirals, moons, clusters, teacher, gaussian, sine, adding."`,
    );
    expect(issuesOf(mutate((s) => (s.train.optimizer = ['adamm', { lr: 0.1 }])))[0]).toMatchObject({
      path: 'train.optimizer[0]',
      code: 'UnknownPlugin',
    });
  });
});
