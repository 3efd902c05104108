import type { OptionsSchema, PluginKind } from '@gradlab/plugin-api';
import { DATASETS } from '../datasets.ts';
import { LOSS_IDS } from '../losses.ts';
import { OPTIMIZERS } from '../optimizers.ts';
import type { Registry } from '../registry.ts';
import { LIMITS } from './types.ts';

type Json = Record<string, unknown>;

function optionsSchema(options: OptionsSchema): Json {
  const properties: Json = {};
  for (const [key, o] of Object.entries(options)) {
    const base = { description: o.description, default: o.default };
    if (o.type === 'enum') properties[key] = { ...base, enum: o.values };
    else if (o.type === 'boolean') properties[key] = { ...base, type: 'boolean' };
    else
      properties[key] = {
        ...base,
        type: o.type,
        ...(o.min !== undefined && { minimum: o.min }),
        ...(o.max !== undefined && { maximum: o.max }),
      };
  }
  return { type: 'object', properties, additionalProperties: false };
}

/** `"id"` or `["id", { options }]`, one alternative per known id (so editors can complete options). */
function refSchema(entries: readonly { id: string; options: OptionsSchema }[], what: string): Json {
  if (entries.length === 0)
    return {
      description: `A ${what} id or [id, options].`,
      oneOf: [
        { type: 'string' },
        { type: 'array', prefixItems: [{ type: 'string' }, { type: 'object' }], minItems: 1, maxItems: 2 },
      ],
    };
  return {
    description: `A ${what}: an id, or [id, options].`,
    anyOf: entries.flatMap(({ id, options }) => [
      { const: id },
      { type: 'array', prefixItems: [{ const: id }, optionsSchema(options)], minItems: 1, maxItems: 2, items: false },
    ]),
  };
}

/**
 * The JSON Schema (draft 2020-12) of experiment specs. With a registry, plugin references
 * list the registered ids and their options; without one they accept any id. Validation at
 * run time (`validateExperiment`) is the authority: it also checks cross-field rules.
 */
export function experimentJsonSchema(registry?: Registry): Json {
  const plugins = (kind: PluginKind) =>
    refSchema(
      (registry?.list(kind) ?? []).map((d) => ({ id: d.meta.id, options: d.options })),
      kind,
    );
  const table = (t: Readonly<Record<string, { id: string; options: OptionsSchema }>>, what: string) =>
    refSchema(Object.values(t), what);
  const units = { type: 'integer', minimum: 1, maximum: LIMITS.units };
  const common = {
    activation: plugins('activation'),
    initializer: plugins('initializer'),
    biasInitializer: plugins('initializer'),
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://gradlab.dev/schema/experiment.schema.json',
    title: 'gradlab experiment',
    type: 'object',
    required: ['seed', 'model', 'train'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      seed: { type: 'integer', minimum: 0, description: 'Seeds data, initialization and shuffling.' },
      data: table(DATASETS as never, 'dataset'),
      model: {
        type: 'object',
        required: ['layers'],
        additionalProperties: false,
        properties: {
          defaults: { type: 'object', additionalProperties: false, properties: common },
          layers: {
            type: 'array',
            minItems: 1,
            maxItems: LIMITS.layers,
            items: {
              oneOf: [
                {
                  type: 'object',
                  required: ['type', 'units'],
                  additionalProperties: false,
                  properties: { type: { const: 'dense' }, units, ...common, residual: { type: 'boolean' } },
                },
                {
                  type: 'object',
                  required: ['type'],
                  additionalProperties: false,
                  properties: {
                    type: { const: 'batchnorm' },
                    activation: common.activation,
                    momentum: { type: 'number', minimum: 0, maximum: 1 },
                    epsilon: { type: 'number', minimum: 1e-12, maximum: 1 },
                  },
                },
                {
                  type: 'object',
                  required: ['type', 'units'],
                  additionalProperties: false,
                  properties: {
                    type: { const: 'rnn' },
                    units,
                    ...common,
                    recurrentInitializer: common.initializer,
                    truncate: { type: 'integer', minimum: 1, maximum: LIMITS.truncate },
                  },
                },
              ],
            },
          },
        },
      },
      train: {
        type: 'object',
        required: ['loss', 'optimizer', 'batchSize'],
        additionalProperties: false,
        properties: {
          loss: { enum: LOSS_IDS },
          optimizer: table(OPTIMIZERS as never, 'optimizer'),
          batchSize: { type: 'integer', minimum: 1, maximum: LIMITS.batchSize },
          epochs: { type: 'integer', minimum: 1, maximum: LIMITS.epochs },
          steps: { type: 'integer', minimum: 0, maximum: LIMITS.steps },
          testFraction: { type: 'number', minimum: 0, maximum: 0.9 },
          shuffle: { type: 'boolean' },
          regularizers: { type: 'array', items: plugins('regularizer') },
          clipping: { type: 'array', items: plugins('clipping') },
          checks: { enum: ['strict', 'off'] },
        },
      },
      probes: { type: 'array', items: plugins('probe') },
    },
  };
}
