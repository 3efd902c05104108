import { describe, expect, it } from 'vitest';
import type { Dataset } from '../src/datasets.ts';
import type { GradlabError } from '../src/errors/index.ts';
import type { Model } from '../src/model.ts';
import { loadModel, type SavedModel, saveModel } from '../src/serialize.ts';
import { createSession } from '../src/session.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import { bytes, randomData, testRegistry } from './helpers.ts';

/** Trainable tensors and buffers of a model, by the names the file uses. */
function tensors(model: Model): Map<string, Float64Array> {
  const out = new Map(model.params.map((p) => [p.name, p.value]));
  for (const l of model.layers) for (const [k, v] of Object.entries(l.buffers)) out.set(`${l.type}_${l.index}.${k}`, v);
  return out;
}

function trained(spec: ExperimentSpec, data: Dataset) {
  const session = createSession(spec, { registry: testRegistry(), data });
  session.run();
  return session;
}

/** Through JSON text, as a file would go. */
const roundTrip = (saved: SavedModel) => loadModel(JSON.parse(JSON.stringify(saved)), { registry: testRegistry() });

const denseSpec: ExperimentSpec = {
  seed: 21,
  model: {
    defaults: { initializer: ['normal', { std: 0.7 }] },
    layers: [
      { type: 'dense', units: 5, activation: 'tanh' },
      { type: 'batchnorm', activation: 'relu', momentum: 0.3 },
      { type: 'dense', units: 5, activation: 'softplus', residual: true },
      { type: 'dense', units: 2 },
    ],
  },
  train: { loss: 'mse', optimizer: ['adam', { lr: 0.01 }], batchSize: 6, steps: 12 },
};
const rnnSpec: ExperimentSpec = {
  seed: 22,
  model: {
    layers: [
      { type: 'rnn', units: 3, initializer: 'normal', recurrentInitializer: ['identity', { gain: 0.9 }], truncate: 2 },
      { type: 'dense', units: 1, initializer: 'normal' },
    ],
  },
  train: { loss: 'mse', optimizer: 'sgd', batchSize: 4, steps: 5 },
};

describe('saveModel / loadModel', () => {
  it('round-trips every tensor bit-exactly, batch-norm running statistics included', () => {
    const data = randomData(30, 3, 2, 'regression', 1);
    const { model } = trained(denseSpec, data);
    const before = tensors(model);
    expect([...before.keys()]).toEqual([
      'dense_0.W',
      'dense_0.b',
      'batchnorm_1.gamma',
      'batchnorm_1.beta',
      'dense_2.W',
      'dense_2.b',
      'dense_3.W',
      'dense_3.b',
      'batchnorm_1.runningMean',
      'batchnorm_1.runningVar',
    ]);
    // Training moved the running statistics away from their initial 0 and 1.
    expect(before.get('batchnorm_1.runningMean')!.some((v) => v !== 0)).toBe(true);
    const loaded = roundTrip(saveModel(denseSpec, data, model));
    const after = tensors(loaded.model);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, t] of before) expect(bytes(after.get(name)!), name).toEqual(bytes(t));
    expect(loaded.spec).toEqual(denseSpec);

    // Identical predictions in evaluation mode, and in training mode.
    for (const training of [false, true]) {
      const a = Float64Array.from(model.forward(data.x, data.rows, training));
      const b = Float64Array.from(loaded.model.forward(data.x, data.rows, training));
      expect(bytes(b)).toEqual(bytes(a));
    }
  });

  it('round-trips a recurrent model', () => {
    const data = randomData(12, 2, 1, 'regression', 2, 5);
    const { model } = trained(rnnSpec, data);
    const loaded = roundTrip(saveModel(rnnSpec, data, model));
    expect([...tensors(loaded.model).keys()]).toEqual(['rnn_0.Wx', 'rnn_0.Wh', 'rnn_0.b', 'dense_1.W', 'dense_1.b']);
    for (const [name, t] of tensors(model)) expect(bytes(tensors(loaded.model).get(name)!), name).toEqual(bytes(t));
    const a = Float64Array.from(model.forward(data.x, data.rows, false));
    expect(bytes(loaded.model.forward(data.x, data.rows, false))).toEqual(bytes(a));
  });

  it('keeps −0, NaN, ±Infinity, subnormals and the extremes of float64 exactly', () => {
    const data = randomData(30, 3, 2, 'regression', 1);
    const { model } = trained(denseSpec, data);
    const W = model.params[0].value;
    const special = [
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      5e-324,
      -Number.MAX_VALUE,
      0.1 + 0.2,
      2 ** -1074 * 3,
    ];
    for (const [i, v] of special.entries()) W[i] = v;
    model.layers[1].buffers.runningVar[0] = -0;
    const saved = saveModel(denseSpec, data, model);
    const text = JSON.stringify(saved);
    expect(saved.tensors['dense_0.W'].slice(0, 4)).toEqual(['-0', 'NaN', 'Infinity', '-Infinity']);
    const loaded = loadModel(JSON.parse(text), { registry: testRegistry(), allowNonFinite: true });
    for (const [name, t] of tensors(model)) expect(bytes(tensors(loaded.model).get(name)!), name).toEqual(bytes(t));
    expect(Object.is(loaded.model.params[0].value[0], -0)).toBe(true);
    expect(Object.is(loaded.model.layers[1].buffers.runningVar[0], -0)).toBe(true);
  });

  it('writes the documented format', () => {
    const data = randomData(12, 2, 1, 'regression', 2, 5);
    const { model } = trained(rnnSpec, data);
    const saved = saveModel(rnnSpec, data, model);
    expect(Object.keys(saved)).toEqual(['format', 'version', 'spec', 'shape', 'tensors']);
    expect(saved.format).toBe('gradlab-model');
    expect(saved.version).toBe(1);
    expect(saved.shape).toEqual({ features: 2, steps: 5, outputs: 1, task: 'regression' });
    expect(saved.tensors['rnn_0.Wh']).toHaveLength(9);
  });
});

describe('bad files', () => {
  const data = randomData(30, 3, 2, 'regression', 1);
  const good = () => JSON.parse(JSON.stringify(saveModel(denseSpec, data, trained(denseSpec, data).model)));

  it.each<[string, (f: Record<string, never> | null) => unknown, string]>([
    ['not an object', () => 'model.json', '`format` must be "gradlab-model"'],
    ['null', () => null, '`format` must be "gradlab-model"'],
    ['another format', (f) => ({ ...f, format: 'keras' }), '`format` must be "gradlab-model"'],
    ['a future version', (f) => ({ ...f, version: 2 }), '`version` 2 is not supported (this version reads 1)'],
    ['no tensors', (f) => ({ ...f, tensors: undefined }), '`shape` and `tensors` are required'],
    [
      'a negative shape',
      (f) => ({ ...f, shape: { features: -3, steps: 1, outputs: 2, task: 'regression' } }),
      '`shape.features` must be a whole number ≥ 1',
    ],
    [
      'an unknown task',
      (f) => ({ ...f, shape: { features: 3, steps: 1, outputs: 2, task: 'ranking' } }),
      '`shape.task` must be',
    ],
    ['no spec', (f) => ({ ...f, spec: undefined }), '`spec` is invalid: `(root)` is required'],
    [
      'a spec with an unknown activation',
      (f) => {
        const spec = structuredClone(denseSpec) as unknown as { model: { layers: { activation?: string }[] } };
        spec.model.layers[0].activation = 'gelu';
        return { ...f, spec };
      },
      '`spec` is invalid: `model.layers[0].activation` Unknown activation "gelu"',
    ],
    [
      'a spec that does not fit the shape',
      (f) => ({ ...f, shape: { features: 3, steps: 1, outputs: 7, task: 'regression' } }),
      '`spec` is invalid: `model.layers[3]` outputs 2 values but the data has 7 targets per row',
    ],
  ])('%s', (_name, edit, problem) => {
    let error: GradlabError | undefined;
    try {
      loadModel(edit(good() as never), { registry: testRegistry() });
    } catch (e) {
      error = e as GradlabError;
    }
    expect(error?.name).toBe('ModelFormatError');
    expect(error?.message).toContain(`Cannot load the saved model: ${problem}`);
  });

  it('names a missing tensor, a wrong length and a value that is not a number', () => {
    const load = (edit: (f: { tensors: Record<string, unknown[]> }) => void) => {
      const f = good();
      edit(f);
      try {
        loadModel(f, { registry: testRegistry() });
      } catch (e) {
        return (e as GradlabError).format();
      }
      return 'loaded';
    };
    expect(load((f) => delete f.tensors['dense_2.b'])).toMatchInlineSnapshot(`
      "ModelFormatError: Cannot load the saved model: tensor \`dense_2.b\` is missing.
        Hint: Load files written by saveModel() of @gradlab/core; the format is documented in its README."
    `);
    expect(load((f) => f.tensors['dense_0.W'].pop())).toMatchInlineSnapshot(`
      "ModelFormatError: Cannot load the saved model: tensor \`dense_0.W\` has 14 values; the model needs 15.
        Hint: Load files written by saveModel() of @gradlab/core; the format is documented in its README."
    `);
    expect(load((f) => (f.tensors['batchnorm_1.runningVar'][3] = 'one'))).toMatchInlineSnapshot(`
      "ModelFormatError: Cannot load the saved model: tensor \`batchnorm_1.runningVar\`[3] is not a number.
        Hint: Load files written by saveModel() of @gradlab/core; the format is documented in its README."
    `);
    expect(load((f) => (f.tensors['dense_0.b'][0] = null))).toMatchInlineSnapshot(`
      "ModelFormatError: Cannot load the saved model: tensor \`dense_0.b\`[0] is not a number.
        Hint: Load files written by saveModel() of @gradlab/core; the format is documented in its README."
    `);
    expect(load((f) => (f.tensors['dense_0.b'][0] = 'constructor'))).toMatchInlineSnapshot(`
      "ModelFormatError: Cannot load the saved model: tensor \`dense_0.b\`[0] is not a number.
        Hint: Load files written by saveModel() of @gradlab/core; the format is documented in its README."
    `);
    expect(load(() => {})).toBe('loaded');
  });
});
