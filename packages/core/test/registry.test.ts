import { defineActivation, type GradlabError } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../src/registry.ts';
import { testRegistry, testRelu, testTanh } from './helpers.ts';

/** The error `fn` throws; fails the test when it does not throw. */
function thrown(fn: () => unknown): GradlabError {
  try {
    fn();
  } catch (error) {
    return error as GradlabError;
  }
  throw new Error('expected a throw');
}

const elu = defineActivation({
  meta: {
    id: 'elu',
    title: 'ELU (test)',
    summary: 'Exponential linear unit for registry tests.',
    formula: { forward: '', derivative: '' },
    range: [-1, Number.POSITIVE_INFINITY],
    properties: {
      monotonic: true,
      passesThroughOrigin: false,
      zeroCentered: false,
      smooth: true,
      saturates: 'negative',
    },
    aliases: ['exp-linear'],
  },
  options: { alpha: { type: 'number', default: 1, min: 0, max: 10, description: 'Negative saturation value.' } },
  create: ({ alpha }) => ({
    forward: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    derivative: (x, y) => (x > 0 ? 1 : y + alpha),
  }),
});

/** A second, different definition that claims an existing id. */
const otherRelu = defineActivation({ meta: testRelu.meta, create: () => ({ forward: (x) => x, derivative: () => 1 }) });

describe('createRegistry', () => {
  it('starts with the built-ins only, and registries are independent', () => {
    const a = createRegistry();
    expect(a.list('activation').map((d) => d.meta.id)).toEqual(['linear']);
    expect(a.list('initializer').map((d) => d.meta.id)).toEqual(['zeros']);
    expect(a.list('probe')).toEqual([]);
    a.use(testTanh);
    expect(createRegistry().get('activation', 'tanh')).toBeUndefined();
  });

  it('lists definitions sorted by id, each once even with aliases', () => {
    const r = testRegistry().use(elu);
    expect(r.list('activation').map((d) => d.meta.id)).toEqual([
      'elu',
      'linear',
      'relu',
      'sigmoid',
      'softplus',
      'tanh',
    ]);
  });

  it('accepts nested lists (presets) and re-registering the very same definition', () => {
    const r = createRegistry().use([[testTanh], [[testRelu, testTanh]]]);
    expect(r.get('activation', 'relu')).toBe(testRelu);
    expect(() => r.use(testRelu)).not.toThrow();
  });

  it('refuses something that is not a plugin', () => {
    const err = thrown(() => createRegistry().use([testTanh, { id: 'relu' } as never]));
    expect(err.name).toBe('InvalidPreset');
    expect(err.message).toMatchInlineSnapshot(
      `"registry.use() expects a plugin definition or an array of them (received an object)."`,
    );
  });
});

describe('duplicates and override', () => {
  it('makes a second definition with the same id a DuplicatePlugin error', () => {
    const err = thrown(() => testRegistry().use(otherRelu));
    expect(err.name).toBe('DuplicatePlugin');
    expect(err.format()).toMatchInlineSnapshot(`
      "DuplicatePlugin: An activation with id or alias "relu" is already registered.
        Hint: Registering the same id twice is an error so results stay reproducible; pass { override: true } to replace it on purpose."
    `);
  });

  it('treats an alias that collides with an id (either way) as a duplicate', () => {
    const aliasOfTanh = defineActivation({
      meta: { ...elu.meta, id: 'elu2', aliases: ['tanh'] },
      create: () => ({ forward: (x) => x, derivative: () => 1 }),
    });
    expect(thrown(() => testRegistry().use(aliasOfTanh)).name).toBe('DuplicatePlugin');
    const idIsAlias = defineActivation({
      meta: { ...testTanh.meta, id: 'exp-linear', aliases: [] },
      create: () => ({ forward: Math.tanh, derivative: (_x, y) => 1 - y * y }),
    });
    expect(thrown(() => testRegistry().use(elu).use(idIsAlias)).name).toBe('DuplicatePlugin');
  });

  it('replaces a definition with { override: true }, and nothing is half-registered after a refusal', () => {
    const r = testRegistry();
    r.use(otherRelu, { override: true });
    expect(r.get('activation', 'relu')).toBe(otherRelu);
    expect(r.resolve('activation', 'relu').forward(-3)).toBe(-3);

    const clash = defineActivation({
      meta: { ...elu.meta, id: 'fresh', aliases: ['sigmoid'] },
      create: () => ({ forward: (x) => x, derivative: () => 1 }),
    });
    expect(() => r.use(clash)).toThrow();
    expect(r.get('activation', 'fresh')).toBeUndefined();
  });
});

describe('resolve', () => {
  it('resolves ids and aliases to the same definition, with options', () => {
    const r = testRegistry().use(elu);
    expect(r.get('activation', 'exp-linear')).toBe(elu);
    const byAlias = r.resolve('activation', ['exp-linear', { alpha: 0.5 }]);
    expect(byAlias.id).toBe('elu');
    expect(byAlias.options).toEqual({ alpha: 0.5 });
    expect(byAlias.forward(-1)).toBe(0.5 * Math.expm1(-1));
    expect(r.resolve('activation', 'elu').options).toEqual({ alpha: 1 });
    expect(r.resolve('activation', ['elu']).options).toEqual({ alpha: 1 });
    expect(r.resolve('activation', 'identity-activation').id).toBe('linear');
  });

  it('names an unknown id with a did-you-mean and the registered list', () => {
    const err = thrown(() => testRegistry().use(elu).resolve('activation', 'rleu', 'model.layers[1].activation'));
    expect(err.name).toBe('UnknownPlugin');
    expect(err.path).toBe('model.layers[1].activation');
    expect(err.format()).toMatchInlineSnapshot(`
      "UnknownPlugin: Unknown activation "rleu". Did you mean "relu" or "elu"? Registered activations: elu, linear, relu, sigmoid, softplus, tanh.
        Hint: Official plugins are published as @gradlab/activation-<id>: install one (or @gradlab/preset-standard) and add it with registry.use(…)."
    `);
  });

  it('suggests nothing for a name far from every id, and still lists them', () => {
    const err = thrown(() => testRegistry().resolve('initializer', 'xavier-uniform-ish'));
    expect(err.message).toMatchInlineSnapshot(
      `"Unknown initializer "xavier-uniform-ish". Registered initializers: identity, normal, zeros."`,
    );
  });

  it('reports unknown and invalid options with the path of the option', () => {
    const r = testRegistry().use(elu);
    const unknown = thrown(() => r.resolve('activation', ['elu', { alhpa: 0.1 }], 'model.layers[0].activation'));
    expect(unknown.name).toBe('UnknownPluginOption');
    expect(unknown.path).toBe('model.layers[0].activation[1].alhpa');
    expect(unknown.message).toMatchInlineSnapshot(
      `"Unknown option \`alhpa\` for activation "elu". Did you mean \`alpha\`? Valid options: alpha."`,
    );

    const invalid = thrown(() => r.resolve('activation', ['elu', { alpha: 30 }], 'model.layers[0].activation'));
    expect(invalid.name).toBe('InvalidPluginOption');
    expect(invalid.path).toBe('model.layers[0].activation[1].alpha');
    expect(invalid.message).toMatchInlineSnapshot(
      `"Option \`alpha\` of activation "elu" must be a finite number between 0 and 10 (received 30)."`,
    );

    const notObject = thrown(() => r.resolve('activation', ['elu', 3], 'a'));
    expect(notObject.name).toBe('InvalidPluginOptions');
    expect(notObject.path).toBe('a[1]');
  });

  it('check() lists every option problem at once, each with a path', () => {
    const issues = testRegistry()
      .use(elu)
      .check('activation', ['elu', { alpha: Number.NaN, beta: 1, gamma: 2 }], 'p');
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['p[1].alpha', 'InvalidPluginOption'],
      ['p[1].beta', 'UnknownPluginOption'],
      ['p[1].gamma', 'UnknownPluginOption'],
    ]);
    expect(issues[0].message).toContain('received NaN');
  });

  it('refuses references of the wrong form', () => {
    const r = testRegistry();
    for (const ref of [3, null, undefined, {}, [], ['relu', {}, {}], [3, {}]]) {
      const issues = r.check('activation', ref, 'x');
      expect(issues).toHaveLength(1);
      expect(issues[0].code).toBe('InvalidPluginRef');
      expect(issues[0].path).toBe('x');
    }
    expect(r.check('activation', 3, 'x')[0].message).toMatchInlineSnapshot(
      `"An activation must be an id such as "relu" or a pair such as ["leaky-relu", { "alpha": 0.1 }] (received 3)."`,
    );
  });
});

describe('freeze', () => {
  it('blocks use() with RegistryFrozen, but resolving still works', () => {
    const r = testRegistry().freeze();
    expect(r.frozen).toBe(true);
    const err = thrown(() => r.use(elu));
    expect(err.name).toBe('RegistryFrozen');
    expect(err.message).toMatchInlineSnapshot(
      `"Cannot register "elu": the registry was frozen when training started."`,
    );
    expect(r.resolve('activation', 'tanh').forward(0)).toBe(0);
  });

  it('is what createSession does when training starts', async () => {
    const { createSession } = await import('../src/session.ts');
    const { randomData } = await import('./helpers.ts');
    const r = testRegistry();
    expect(r.frozen).toBe(false);
    createSession(
      {
        seed: 1,
        model: { layers: [{ type: 'dense', units: 1, initializer: 'normal' }] },
        train: { loss: 'mse', optimizer: 'sgd', batchSize: 2 },
      },
      { registry: r, data: randomData(4, 2, 1, 'regression', 1) },
    );
    expect(r.frozen).toBe(true);
    expect(thrown(() => r.use(elu)).name).toBe('RegistryFrozen');
  });
});
