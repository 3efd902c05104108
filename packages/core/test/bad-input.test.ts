/**
 * The executable list of bad API input to @gradlab/core (issue 8, docs/errors.md "Bad input"):
 * each call must throw a catalog error whose text names the argument or field and the fix
 * (`fixed`: it used to be a raw TypeError, a silent result or a bare error; `fine`: already
 * clear, kept so), or be accepted on purpose (`accepted`, with the reason in the name).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  defineActivation,
  defineClipping,
  defineInitializer,
  defineRegularizer,
  type GradlabError,
  type Probe,
} from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../src/datasets.ts';
import { loadModel, saveModel } from '../src/serialize.ts';
import { createSession, train } from '../src/session.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import { randomData, testRegistry } from './helpers.ts';

const spec = (over: Partial<ExperimentSpec['train']> = {}, layers?: ExperimentSpec['model']['layers']) =>
  ({
    seed: 3,
    data: ['xor', { samples: 40 }],
    model: {
      defaults: { activation: 'relu', initializer: 'normal' },
      layers: layers ?? [
        { type: 'dense', units: 4 },
        { type: 'batchnorm' },
        { type: 'dense', units: 1, activation: 'linear' },
      ],
    },
    train: { loss: 'bce', optimizer: 'sgd', batchSize: 8, steps: 3, ...over },
  }) as ExperimentSpec;

const binary = (y: number[]): Dataset => ({
  rows: y.length,
  features: 2,
  steps: 1,
  outputs: 1,
  task: 'binary',
  x: Float64Array.from({ length: y.length * 2 }, (_, i) => Math.sin(i)),
  y: Float64Array.from(y),
});
const noData = (s: ExperimentSpec) => ({ ...s, data: undefined }) as ExperimentSpec;

const throwing = (hook: 'forward' | 'derivative', id = 'boom') =>
  defineActivation({
    meta: {
      id,
      title: 'Boom',
      summary: 'An activation that throws, for tests.',
      formula: { forward: 'x', derivative: '1' },
      range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: true, smooth: true, saturates: 'none' },
    },
    create: () => ({
      forward: (x) => {
        if (hook === 'forward') throw new RangeError('kaboom');
        return x;
      },
      derivative: () => {
        if (hook === 'derivative') throw new Error('no slope here');
        return 1;
      },
    }),
  });
const withBoom = (hook: 'forward' | 'derivative') => testRegistry().use(throwing(hook));
const boomSpec = () => {
  const s = structuredClone(spec());
  (s.model.defaults as { activation: string }).activation = 'boom';
  return s;
};

/** A plugin of each other kind whose named hook throws: the engine must name plugin, hook and when. */
const boomInit = defineInitializer({
  meta: { id: 'boom-init', title: 'Boom', summary: 'Throws, for tests.', formula: 'W = ?', family: 'constant' },
  create: () => ({
    init: () => {
      throw new TypeError('cannot read shape');
    },
  }),
});
/** Returns finite values but one: the engine names the first bad index (firstNonFinite, decision 0013). */
const nanInit = defineInitializer({
  meta: { id: 'nan-init', title: 'NaN', summary: 'One NaN, for tests.', formula: 'W = ?', family: 'constant' },
  create: () => ({
    init: ({ shape }) => {
      const w = new Float64Array(shape[0] * shape[1]).fill(0.1);
      w[5] = Number.NaN;
      w[7] = Number.POSITIVE_INFINITY;
      return w;
    },
  }),
});
const boomClip = defineClipping({
  meta: { id: 'boom-clip', title: 'Boom', summary: 'Throws, for tests.', formula: 'g', preservesDirection: true },
  create: () => ({
    update: () => {
      throw new RangeError('bad threshold');
    },
  }),
});
const boomReg = (hook: 'penalty' | 'addGradient' | 'afterStep') =>
  defineRegularizer({
    meta: { id: `boom-${hook.toLowerCase()}`, title: 'Boom', summary: 'Throws, for tests.', formula: '0' },
    create: () => ({
      appliesTo: ['weight'],
      penalty: () => {
        if (hook === 'penalty') throw new Error('no penalty');
        return 0;
      },
      addGradient: () => {
        if (hook === 'addGradient') throw new Error('no gradient');
      },
      afterStep: () => {
        if (hook === 'afterStep') throw new Error('no after');
      },
    }),
  });
const boomProbe = (hook: 'onStep' | 'report' | 'onEnd'): Probe => ({
  id: 'boom-probe',
  options: {},
  onStep: (trace) => {
    if (hook === 'onStep' && trace.step === 1) throw new Error('probe tripped');
    return [];
  },
  report: () => {
    if (hook === 'report') throw new Error('no report');
    return null;
  },
  onEnd: () => {
    if (hook === 'onEnd') throw new Error('no end');
    return [];
  },
});
const withPlugin = (plugin: Parameters<ReturnType<typeof testRegistry>['use']>[0]) => testRegistry().use(plugin);
const initSpec = () => {
  const s = structuredClone(spec());
  (s.model.defaults as { initializer: string }).initializer = 'boom-init';
  return s;
};

const savedModel = () => {
  const session = createSession(spec(), { registry: testRegistry() });
  session.run();
  return JSON.parse(JSON.stringify(saveModel(spec(), session.trainData, session.model)));
};
const loadEdited = (edit: (tensors: Record<string, unknown[]>) => void) => {
  const saved = savedModel();
  edit(saved.tensors);
  return loadModel(saved, { registry: testRegistry() });
};

interface Case {
  readonly verdict: 'fixed' | 'fine' | 'accepted';
  readonly call: () => unknown;
  /** The error's name; absent for accepted input. */
  readonly error?: string;
  /** The field or argument, and the fix, in the error's text (message and hint). */
  readonly field?: RegExp;
  readonly fix?: RegExp;
}

const CASES: Record<string, Case> = {
  'train(spec) without options': {
    verdict: 'fixed',
    call: () => (train as (s: ExperimentSpec) => unknown)(spec()),
    error: 'MissingRegistry',
    field: /train\(\) needs \{ registry \}.*\(received no options\)/,
    fix: /createRegistry\(\)\.use\(standard\).*@gradlab\/preset-standard/,
  },
  'createSession(spec, {}) without a registry': {
    verdict: 'fixed',
    call: () => createSession(spec(), {} as never),
    error: 'MissingRegistry',
    field: /createSession\(\) needs \{ registry \}.*options without a registry/,
    fix: /pass \{ registry \}/,
  },
  'loadModel(json) without options': {
    verdict: 'fixed',
    call: () => (loadModel as (s: unknown) => unknown)(savedModel()),
    error: 'MissingRegistry',
    field: /loadModel\(\) needs \{ registry \}/,
    fix: /createRegistry\(\)/,
  },
  'an activation whose forward throws names plugin, hook, layer and step': {
    verdict: 'fixed',
    call: () => train(boomSpec(), { registry: withBoom('forward') }),
    error: 'PluginError',
    field: /\[activation:boom\] forward threw RangeError: kaboom \(layer 0, step 0\)\./,
    fix: /conformance suite for activation:boom/,
  },
  'an activation whose derivative throws names plugin, hook, layer and step': {
    verdict: 'fixed',
    call: () => train(boomSpec(), { registry: withBoom('derivative') }),
    error: 'PluginError',
    field: /\[activation:boom\] derivative threw Error: no slope here \(layer 1, step 0\)\./,
    fix: /conformance suite/,
  },
  'an initializer whose init throws names plugin, hook and tensor': {
    verdict: 'fixed',
    call: () => createSession(initSpec(), { registry: withPlugin(boomInit) }),
    error: 'PluginError',
    field: /\[initializer:boom-init\] init threw TypeError: cannot read shape \(dense_0\.W, at initialization\)\./,
    fix: /conformance suite for initializer:boom-init/,
  },
  'an initializer that returns a NaN names plugin, hook, tensor and the first bad index': {
    verdict: 'fixed',
    call: () => {
      const s = initSpec();
      (s.model.defaults as { initializer: string }).initializer = 'nan-init';
      return createSession(s, { registry: withPlugin(nanInit) });
    },
    error: 'PluginError',
    field: /\[initializer:nan-init\] init returned NaN at index 5 of dense_0\.W\./,
    fix: /conformance suite for initializer:nan-init/,
  },
  'a clipping rule whose update throws names plugin, hook and step': {
    verdict: 'fixed',
    call: () => train(spec({ clipping: ['boom-clip'] }), { registry: withPlugin(boomClip) }),
    error: 'PluginError',
    field: /\[clipping:boom-clip\] update threw RangeError: bad threshold \(step 0\)\./,
    fix: /conformance suite for clipping:boom-clip/,
  },
  ...Object.fromEntries(
    (['penalty', 'addGradient', 'afterStep'] as const).map((hook) => [
      `a regularizer whose ${hook} throws names plugin, hook and step`,
      {
        verdict: 'fixed',
        call: () =>
          train(spec({ regularizers: [`boom-${hook.toLowerCase()}`] }), { registry: withPlugin(boomReg(hook)) }),
        error: 'PluginError',
        field: new RegExp(`\\[regularizer:boom-${hook.toLowerCase()}\\] ${hook} threw Error: .* \\(step 0\\)\\.`),
        fix: /conformance suite/,
      } satisfies Case,
    ]),
  ),
  'a probe whose onStep throws names plugin, hook and step (here the second step)': {
    verdict: 'fixed',
    call: () => train(spec(), { registry: testRegistry(), probes: [boomProbe('onStep')] }),
    error: 'PluginError',
    field: /\[probe:boom-probe\] onStep threw Error: probe tripped \(step 1\)\./,
    fix: /conformance suite/,
  },
  'a probe whose report throws names plugin and hook': {
    verdict: 'fixed',
    call: () => train(spec(), { registry: testRegistry(), probes: [boomProbe('report')] }),
    error: 'PluginError',
    field: /\[probe:boom-probe\] report threw Error: no report \(reports\(\)\)\./,
    fix: /conformance suite/,
  },
  'a probe whose onEnd throws names plugin and hook': {
    verdict: 'fixed',
    call: () => train(spec(), { registry: testRegistry(), probes: [boomProbe('onEnd')] }),
    error: 'PluginError',
    field: /\[probe:boom-probe\] onEnd threw Error: no end \(finish\(\)\)\./,
    fix: /conformance suite/,
  },
  'binary target 2': {
    verdict: 'fixed',
    call: () =>
      createSession(noData(spec()), { registry: testRegistry(), data: binary([0, 1, 2, 0, 1, 0, 1, 0, 1, 1]) }),
    error: 'DataShapeError',
    field: /y\[2\] is 2 but binary targets must lie between 0 and 1/,
    fix: /use task "regression" for other values/,
  },
  'binary target −1': {
    verdict: 'fixed',
    call: () =>
      createSession(noData(spec()), { registry: testRegistry(), data: binary([0, 1, 1, 0, -1, 0, 1, 0, 1, 1]) }),
    error: 'DataShapeError',
    field: /y\[4\] is -1 but binary targets/,
    fix: /between 0 and 1/,
  },
  'binary soft labels (0.1 / 0.9): accepted, cross-entropy is exact for probabilities': {
    verdict: 'accepted',
    call: () =>
      createSession(noData(spec()), {
        registry: testRegistry(),
        data: binary([0.1, 0.9, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9, 0.9]),
      }).step(),
  },
  'multiclass row that is not one-hot': {
    verdict: 'fixed',
    call: () => {
      const d = randomData(10, 2, 3, 'multiclass', 1);
      d.y.set([1, 1, 0], 3 * 3);
      return createSession(
        noData({ ...spec({ loss: 'softmax-ce' }), model: { ...spec().model, layers: [{ type: 'dense', units: 3 }] } }),
        { registry: testRegistry(), data: d },
      );
    },
    error: 'DataShapeError',
    field: /row 3 of y sums to 2/,
    fix: /one-hot rows \(exactly one 1\)/,
  },
  'model.forward with the wrong input length': {
    verdict: 'fixed',
    call: () => createSession(spec(), { registry: testRegistry() }).model.forward(new Float64Array(3), 1, false),
    error: 'DataShapeError',
    field: /model\.forward\(x, rows\) received 3 values for rows = 1/,
    fix: /x needs rows × 2 values/,
  },
  'loadModel with a NaN weight': {
    verdict: 'fixed',
    call: () => loadEdited((t) => (t['dense_0.W'][1] = 'NaN')),
    error: 'ModelFormatError',
    field: /tensor `dense_0\.W`\[1\] is NaN/,
    fix: /allowNonFinite: true/,
  },
  'loadModel with an Infinity weight': {
    verdict: 'fixed',
    call: () => loadEdited((t) => (t['dense_2.b'][0] = '-Infinity')),
    error: 'ModelFormatError',
    field: /tensor `dense_2\.b`\[0\] is -Infinity/,
    fix: /allowNonFinite/,
  },
  'loadModel with a negative batch-norm variance': {
    verdict: 'fixed',
    call: () => loadEdited((t) => (t['batchnorm_1.runningVar'][2] = -0.5)),
    error: 'ModelFormatError',
    field: /tensor `batchnorm_1\.runningVar`\[2\] is -0\.5/,
    fix: /a variance cannot be negative/,
  },
  'loadModel with a tensor the model does not have': {
    verdict: 'fixed',
    call: () => loadEdited((t) => (t['dense_9.W'] = [1, 2])),
    error: 'ModelFormatError',
    field: /tensor `dense_9\.W` is not part of this model/,
    fix: /its tensors: dense_0\.W, dense_0\.b/,
  },
  'session.step() past totalSteps': {
    verdict: 'fixed',
    call: () => {
      const s = createSession(spec({ steps: 2 }), { registry: testRegistry() });
      s.step();
      s.step();
      return s.step();
    },
    error: 'SessionFinished',
    field: /session\.step\(\) was called after the last step: the session has run all its 2 steps/,
    fix: /Loop while session\.stepCount < session\.totalSteps/,
  },
  'a custom activation taking a built-in initializer’s id': {
    verdict: 'fixed',
    call: () => testRegistry().use(throwing('forward', 'zeros') as never),
    error: 'PluginIdInUse',
    field: /An activation cannot use the id or alias "zeros": an initializer is registered under it/,
    fix: /Rename the plugin/,
  },
  '… even with override': {
    verdict: 'fixed',
    call: () => testRegistry().use(throwing('forward', 'normal') as never, { override: true }),
    error: 'PluginIdInUse',
    field: /"normal": an initializer is registered under it/,
    fix: /Ids are unique across kinds/,
  },
  'a spec needing more memory than the limit is refused before allocating': {
    verdict: 'fixed',
    call: () =>
      createSession(
        {
          seed: 0,
          data: ['gaussian', { samples: 65536, features: 4096, outputs: 1 }],
          model: {
            defaults: { activation: 'relu', initializer: 'normal' },
            layers: [
              { type: 'dense', units: 4096 },
              { type: 'dense', units: 4096 },
              { type: 'dense', units: 1 },
            ],
          },
          train: { loss: 'mse', optimizer: 'sgd', batchSize: 65536, steps: 1, testFraction: 0 },
        },
        { registry: testRegistry() },
      ),
    error: 'ExperimentSpecError',
    field: /`train\.batchSize`: with these layers, training needs about \d+\.\d GiB of memory/,
    fix: /the limit is 4\.0 GiB\.\n.*lower train\.batchSize first/,
  },
  // ---- already clear ----
  'unknown activation in a spec': {
    verdict: 'fine',
    call: () =>
      train(
        { ...spec(), model: { layers: [{ type: 'dense', units: 1, activation: 'rleu', initializer: 'normal' }] } },
        { registry: testRegistry() },
      ),
    error: 'ExperimentSpecError',
    field: /`model\.layers\[0\]\.activation`: Unknown activation "rleu"/,
    fix: /Did you mean "relu"/,
  },
  'data with a NaN feature': {
    verdict: 'fine',
    call: () => {
      const d = binary([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
      d.x[5] = Number.NaN;
      return createSession(noData(spec()), { registry: testRegistry(), data: d });
    },
    error: 'DataShapeError',
    field: /x\[5\] is not a finite number/,
    fix: /remove or impute missing values first/,
  },
};

describe('bad API input: a catalog error naming the field and the fix', () => {
  it.each(Object.entries(CASES))('%s', (_name, c) => {
    if (!c.error) {
      expect(c.call).not.toThrow();
      return;
    }
    let caught: unknown;
    try {
      c.call();
    } catch (e) {
      caught = e;
    }
    expect(caught, 'must throw').toBeInstanceOf(Error);
    const error = caught as GradlabError;
    expect(error.name).toBe(c.error);
    const text = typeof error.format === 'function' ? error.format() : String(error);
    if (c.field) expect(text).toMatch(c.field);
    if (c.fix) expect(text).toMatch(c.fix);
  });
});

describe('PluginError for a throwing hook', () => {
  it('keeps the original error as cause and the plugin and hook as fields', () => {
    let error: GradlabError | undefined;
    try {
      train(boomSpec(), { registry: withBoom('forward') });
    } catch (e) {
      error = e as GradlabError;
    }
    expect(error).toMatchObject({ name: 'PluginError', plugin: 'activation:boom', hook: 'forward' });
    expect((error?.cause as Error | undefined)?.message).toBe('kaboom');
  });
});

describe('estimateMemory', () => {
  // A child process takes a few seconds to start on a busy machine; this is not a speed test.
  it('matches the ArrayBuffer memory a session really allocates (within 25%)', { timeout: 60_000 }, () => {
    // Measured by the runtime in a fresh process (after gc), not by the estimate's formula.
    const script = fileURLToPath(new URL('./measure-memory.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--expose-gc', '--conditions=@gradlab/source', script], {
      encoding: 'utf8',
    });
    const { estimate, used } = JSON.parse(out) as { estimate: number; used: number };
    expect(used).toBeGreaterThan(30e6);
    expect(estimate / used).toBeGreaterThan(0.75);
    expect(estimate / used).toBeLessThan(1.25);
  });
});
