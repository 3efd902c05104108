import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { experimentJsonSchema } from '../src/spec/schema.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import { validateExperiment } from '../src/spec/validate.ts';
import { testRegistry } from './helpers.ts';

/**
 * The committed schema file is generated from `experimentJsonSchema()` (no registry) and must
 * stay in sync: run `UPDATE=1 npx vitest run --project @gradlab/core test/schema` to rewrite it.
 */
const FILE = fileURLToPath(new URL('../schema/experiment.schema.json', import.meta.url));
const generated = `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;

describe('schema/experiment.schema.json', () => {
  it('is what experimentJsonSchema() generates (UPDATE=1 rewrites it)', () => {
    if (process.env.UPDATE === '1') writeFileSync(FILE, generated);
    expect(readFileSync(FILE, 'utf8'), 'run with UPDATE=1 to regenerate the schema file').toBe(generated);
  });
});

// ---- a minimal JSON Schema checker for the keywords the schema uses (no dependency) ----
type Schema = Record<string, unknown> | boolean;

/** Paths that break the schema; empty when `value` is valid. */
function check(schema: Schema, value: unknown, path = ''): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  const s = schema as Record<string, unknown>;
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${path || '(root)'}: ${why}`);
  const type = s.type as string | undefined;
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (type === 'object' && !isObject) fail('not an object');
  if (type === 'array' && !Array.isArray(value)) fail('not an array');
  if (type === 'string' && typeof value !== 'string') fail('not a string');
  if (type === 'boolean' && typeof value !== 'boolean') fail('not a boolean');
  if (type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) fail('not a number');
  if (type === 'integer' && !Number.isInteger(value)) fail('not an integer');
  if ('const' in s && value !== s.const) fail(`not ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(value)) fail('not in enum');
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) fail(`below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) fail(`above ${s.maximum}`);
  }
  if (isObject && (type === 'object' || s.properties)) {
    const obj = value as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const key of (s.required ?? []) as string[]) if (!(key in obj)) fail(`missing ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      if (key in props) errors.push(...check(props[key], v, `${path}.${key}`));
      else if (s.additionalProperties === false) fail(`unknown field ${key}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) fail('too short');
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) fail('too long');
    const prefix = (s.prefixItems ?? []) as Schema[];
    value.forEach((v, i) => {
      if (i < prefix.length) errors.push(...check(prefix[i], v, `${path}[${i}]`));
      else if (s.items !== undefined) errors.push(...check(s.items as Schema, v, `${path}[${i}]`));
    });
  }
  if (Array.isArray(s.oneOf)) {
    const passing = s.oneOf.filter((sub) => check(sub as Schema, value, path).length === 0).length;
    if (passing !== 1) fail(`matches ${passing} of oneOf`);
  }
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => check(sub as Schema, value, path).length === 0)) {
    fail('matches none of anyOf');
  }
  return errors;
}

const schema = JSON.parse(generated) as Schema;

const valid: ExperimentSpec[] = [
  {
    $schema: 'https://gradlab.dev/schema/experiment.schema.json',
    name: 'xor',
    seed: 1,
    data: ['xor', { samples: 100, noise: 0.1 }],
    model: {
      defaults: { initializer: 'normal', activation: 'tanh' },
      layers: [
        { type: 'dense', units: 4 },
        { type: 'batchnorm', momentum: 0.1 },
        { type: 'dense', units: 1, activation: 'linear' },
      ],
    },
    train: { loss: 'bce', optimizer: ['adam', { lr: 0.01 }], batchSize: 10, epochs: 3, clipping: [], regularizers: [] },
    probes: [],
  },
  {
    seed: 0,
    data: 'adding',
    model: {
      layers: [
        {
          type: 'rnn',
          units: 8,
          initializer: ['normal', { std: 0.3 }],
          recurrentInitializer: 'identity',
          truncate: 10,
        },
        { type: 'dense', units: 4, initializer: 'normal', residual: false },
        { type: 'dense', units: 1, initializer: 'normal' },
      ],
    },
    train: { loss: 'mse', optimizer: 'sgd', batchSize: 50, steps: 10, testFraction: 0, shuffle: false, checks: 'off' },
  },
];

describe('the schema describes valid specs', () => {
  it.each(valid.map((spec, i) => [i, spec] as const))(
    'example %i is valid by the schema and by validateExperiment',
    (_i, spec) => {
      expect(check(schema, spec)).toEqual([]);
      expect(validateExperiment(spec, testRegistry())).toEqual([]);
    },
  );

  it.each<[string, (s: Record<string, never>) => unknown]>([
    ['a missing seed', ({ seed: _, ...rest }) => rest],
    ['an unknown field', (s) => ({ ...s, sead: 1 })],
    ['units 0', (s) => ({ ...s, model: { layers: [{ type: 'dense', units: 0 }] } })],
    ['units 5000', (s) => ({ ...s, model: { layers: [{ type: 'dense', units: 5000 }] } })],
    ['an unknown loss', (s) => ({ ...s, train: { ...(s.train as object), loss: 'mae' } })],
    ['an unknown optimizer', (s) => ({ ...s, train: { ...(s.train as object), optimizer: 'adm' } })],
    ['a negative learning rate', (s) => ({ ...s, train: { ...(s.train as object), optimizer: ['sgd', { lr: -1 }] } })],
    [
      'an unknown optimizer option',
      (s) => ({ ...s, train: { ...(s.train as object), optimizer: ['sgd', { learningRate: 1 }] } }),
    ],
    ['a dataset option of the wrong type', (s) => ({ ...s, data: ['xor', { samples: 'many' }] })],
    ['a residual rnn', (s) => ({ ...s, model: { layers: [{ type: 'rnn', units: 2, residual: true }] } })],
    ['layers that are not an array', (s) => ({ ...s, model: { layers: { type: 'dense', units: 1 } } })],
  ])('the schema refuses %s, like validateExperiment', (_name, edit) => {
    const spec = edit(structuredClone(valid[0]) as never);
    expect(check(schema, spec)).not.toEqual([]);
    expect(validateExperiment(spec, testRegistry())).not.toEqual([]);
  });

  it('has the limits of the engine', () => {
    const s = schema as { properties: { model: { properties: { layers: { maxItems: number } } } } };
    expect(s.properties.model.properties.layers.maxItems).toBe(1000);
    expect(JSON.stringify(schema)).toContain('"maximum":4096');
  });

  it('lists the registered plugins and their options when given a registry', () => {
    const withPlugins = experimentJsonSchema(testRegistry()) as Schema;
    const spec = structuredClone(valid[0]);
    expect(check(withPlugins, spec)).toEqual([]);
    const typo = { ...spec, model: { ...spec.model, defaults: { initializer: 'nromal' } } };
    expect(check(withPlugins, typo)).not.toEqual([]);
    expect(check(schema, typo)).toEqual([]); // without a registry any id is accepted
    const badOption = { ...spec, model: { ...spec.model, defaults: { initializer: ['normal', { sd: 1 }] } } };
    expect(check(withPlugins, badOption)).not.toEqual([]);
  });
});
