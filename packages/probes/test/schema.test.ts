import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reportJsonSchema, runProbe } from '../src/index.ts';
import { registry } from './helpers.ts';

type Schema = Record<string, unknown>;

/**
 * A validator for the JSON Schema subset the report schema uses (type, const, enum, properties,
 * required, additionalProperties, items, prefixItems, min/maxItems, oneOf, minimum). It returns
 * the paths that fail, so a report field the schema forgot (or the reverse) names itself.
 */
function validate(schema: Schema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  const type = (v: unknown) =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  if ('const' in schema && value !== schema.const) errors.push(`${path} ≠ ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) errors.push(`${path} = ${String(value)} not in enum`);
  if (schema.type) {
    const types = ([] as string[]).concat(schema.type as string);
    const t = type(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      errors.push(`${path} is ${t}, not ${types}`);
  }
  if (schema.oneOf) {
    const passing = (schema.oneOf as Schema[]).filter((s) => validate(s, value, path).length === 0).length;
    if (passing !== 1) errors.push(`${path} matches ${passing} of oneOf`);
  }
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum)
    errors.push(`${path} < ${schema.minimum}`);
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${path} too short`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${path} too long`);
    const prefix = (schema.prefixItems as Schema[] | undefined) ?? [];
    value.forEach((v, i) => {
      const s = prefix[i] ?? (schema.items as Schema | undefined);
      if (s) errors.push(...validate(s, v, `${path}[${i}]`));
    });
  } else if (type(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required as string[] | undefined) ?? [])
      if (!(key in obj)) errors.push(`${path}.${key} is missing`);
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) errors.push(...validate(props[key], v, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${key} is not in the schema`);
      else if (typeof schema.additionalProperties === 'object')
        errors.push(...validate(schema.additionalProperties as Schema, v, `${path}.${key}`));
    }
  }
  return errors;
}

describe('reportJsonSchema', () => {
  // `UPDATE=1 npx vitest run --project @gradlab/probes test/schema` rewrites the file.
  it('is written to schema/probe-report.schema.json (UPDATE=1 rewrites it)', () => {
    const file = fileURLToPath(new URL('../schema/probe-report.schema.json', import.meta.url));
    const text = `${JSON.stringify(reportJsonSchema, null, 2)}\n`;
    if (process.env.UPDATE === '1') {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    expect(readFileSync(file, 'utf8'), 'run the tests with UPDATE=1 to regenerate the schema').toBe(text);
  });

  const cases = {
    'relu + he at init': { seed: 1 },
    'tanh + glorot after 2 steps with adam': { activation: 'tanh', initializer: 'glorot', steps: 2, optimizer: 'adam' },
    'leaky-relu with a tuple initializer and bias': {
      activation: 'leaky-relu',
      alpha: 0.2,
      initializer: ['he', { negativeSlope: 0.2 }],
      biasInit: 0.1,
      depth: 3,
    },
    'orthogonal weights': { initializer: 'orthogonal', depth: 3 },
    'constant weights (theory not applicable)': { initializer: ['constant', { value: 0.05 }], depth: 3 },
    'a diverging run': { gain: 3, lr: 100, steps: 20 },
  } as const;
  for (const [name, options] of Object.entries(cases)) {
    it(`describes the report of ${name}`, () => {
      const report = JSON.parse(JSON.stringify(runProbe(options, { registry: registry() })));
      expect(validate(reportJsonSchema as unknown as Schema, report)).toEqual([]);
      expect(report.theory.applicable).toBe(!name.startsWith('constant'));
    });
  }

  it('the validator catches a report that drifts from the schema', () => {
    const report = JSON.parse(JSON.stringify(runProbe({ depth: 2 }, { registry: registry() })));
    report.layers[0].extra = 1;
    report.ratios.deltaFirstLast = 'big';
    delete report.theory;
    expect(validate(reportJsonSchema as unknown as Schema, report)).toEqual([
      '$.theory is missing',
      '$.layers[0].extra is not in the schema',
      '$.ratios.deltaFirstLast is string, not number,null',
    ]);
  });
});
