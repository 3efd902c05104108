import { describe, expect, it } from 'vitest';
import { checkOptions, defineActivation, describeExpected, GradlabError, resolveOptions } from '../src/index.ts';

const schema = {
  alpha: { type: 'number', default: 0.01, min: 0, max: 1, description: 'Slope.' },
  steps: { type: 'integer', default: 3, min: 1, description: 'Steps.' },
  exact: { type: 'boolean', default: true, description: 'Exact form.' },
  mode: { type: 'enum', default: 'fan-in', values: ['fan-in', 'fan-out'], description: 'Fan.' },
} as const;

describe('resolveOptions', () => {
  it('fills defaults and keeps given values', () => {
    expect(resolveOptions('activation "x"', schema, { alpha: 0.2 })).toEqual({
      alpha: 0.2,
      steps: 3,
      exact: true,
      mode: 'fan-in',
    });
    expect(resolveOptions('activation "x"', schema, undefined)).toEqual({
      alpha: 0.01,
      steps: 3,
      exact: true,
      mode: 'fan-in',
    });
  });

  it('names the option, the expected value and the received value', () => {
    expect(() => resolveOptions('activation "leaky-relu"', schema, { alpha: 3 })).toThrowErrorMatchingInlineSnapshot(
      `[InvalidPluginOption: Option \`alpha\` of activation "leaky-relu" must be a finite number between 0 and 1 (received 3).]`,
    );
    expect(() => resolveOptions('activation "leaky-relu"', schema, { alhpa: 0.1 })).toThrowErrorMatchingInlineSnapshot(
      `[UnknownPluginOption: Unknown option \`alhpa\` for activation "leaky-relu". Did you mean \`alpha\`? Valid options: alpha, steps, exact, mode.]`,
    );
  });

  it('refuses NaN, non-integers, wrong types and values outside an enum', () => {
    const issues = checkOptions('x', schema, { alpha: Number.NaN, steps: 1.5, exact: 'yes', mode: 'fan-avg' });
    expect(issues.map((i) => [i.key, i.code])).toEqual([
      ['alpha', 'InvalidPluginOption'],
      ['steps', 'InvalidPluginOption'],
      ['exact', 'InvalidPluginOption'],
      ['mode', 'InvalidPluginOption'],
    ]);
    expect(issues[0].message).toContain('received NaN');
  });

  it('refuses options that are not an object', () => {
    for (const bad of [3, 'a', [1], null]) {
      expect(checkOptions('x', schema, bad)[0].code).toBe('InvalidPluginOptions');
    }
  });

  it('describes expectations in words', () => {
    expect(describeExpected(schema.steps)).toBe('an integer ≥ 1');
    expect(describeExpected(schema.mode)).toBe('one of "fan-in", "fan-out"');
  });
});

describe('define*', () => {
  const meta = {
    id: 'demo',
    title: 'Demo',
    summary: 'A demo activation.',
    formula: { forward: 'x', derivative: '1' },
    range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] as const,
    properties: {
      monotonic: true,
      passesThroughOrigin: true,
      zeroCentered: true,
      smooth: true,
      saturates: 'none' as const,
    },
  };

  it('returns a callable definition that validates options and carries meta and id', () => {
    const demo = defineActivation({
      meta,
      options: { k: { type: 'number', default: 2, description: 'k.' } },
      create: ({ k }) => ({ forward: (x) => k * x, derivative: () => k }),
    });
    expect(demo.kind).toBe('activation');
    expect(demo.meta.id).toBe('demo');
    const instance = demo({ k: 3 });
    expect(instance.id).toBe('demo');
    expect(instance.options).toEqual({ k: 3 });
    expect(instance.forward(2)).toBe(6);
    expect(() => demo({ q: 1 } as never)).toThrow(GradlabError);
  });

  it('rejects broken metadata at definition time', () => {
    const make = (patch: object) => () =>
      defineActivation({ meta: { ...meta, ...patch }, create: () => ({ forward: (x) => x, derivative: () => 1 }) });
    expect(make({ id: 'Leaky_ReLU' })).toThrow(/kebab-case/);
    expect(make({ summary: 'no period' })).toThrow(/one sentence ending in a period/);
    expect(make({ aliases: ['Bad Alias'] })).toThrow(/kebab-case/);
    expect(() =>
      defineActivation({
        meta,
        options: { a: { type: 'number', default: 5, max: 1, description: 'a.' } },
        create: () => ({ forward: (x) => x, derivative: () => 1 }),
      }),
    ).toThrow(/above its max/);
  });
});
