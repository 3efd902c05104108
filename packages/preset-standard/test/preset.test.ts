import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, train } from '@gradlab/core';
import { isDefinition } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import standard, { activations, clipping, initializers, regularizers } from '../src/index.ts';

const ROOT = join(import.meta.dirname, '../../..');
const GROUPS = [
  ['activation', activations, 'packages/activations'],
  ['initializer', initializers, 'packages/initializers'],
  ['clipping', clipping, 'packages/clipping'],
  ['regularizer', regularizers, 'packages/regularizers'],
] as const;

/** Plugin packages in the repo, from their package.json#gradlab. */
function repoPlugins(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((d) => existsSync(join(ROOT, folder, d, 'package.json')))
    .map((d) => JSON.parse(readFileSync(join(ROOT, folder, d, 'package.json'), 'utf8')))
    .filter((pkg) => pkg.gradlab)
    .map((pkg) => pkg.gradlab.id as string)
    .sort();
}

describe('@gradlab/preset-standard', () => {
  it('is the four groups in order: activations, initializers, clipping, regularizers', () => {
    expect(standard).toEqual([...activations, ...initializers, ...clipping, ...regularizers]);
  });

  it.each(GROUPS)('holds only %s definitions, sorted by id, without duplicates', (kind, group) => {
    for (const def of group) {
      expect(isDefinition(def)).toBe(true);
      expect(def.kind).toBe(kind);
    }
    const ids = group.map((d) => d.meta.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(GROUPS)('includes every %s package in the repo', (_kind, group, folder) => {
    expect(group.map((d) => d.meta.id).sort()).toEqual(repoPlugins(folder));
  });

  it('lists exactly its plugins as dependencies (plus the contract)', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'));
    const expected = standard.map((d) => `@gradlab/${d.kind}-${d.meta.id}`);
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...expected, '@gradlab/plugin-api'].sort());
  });

  it('registers in one call, and every id resolves to a working instance', () => {
    const registry = createRegistry().use(standard);
    for (const def of standard) {
      expect(registry.get(def.kind, def.meta.id)).toBe(def);
      expect(registry.resolve(def.kind, def.meta.id).id).toBe(def.meta.id);
    }
  });

  it('trains a small net that uses one plugin of every kind', () => {
    const run = train(
      {
        seed: 7,
        data: ['xor', { samples: 64 }],
        model: {
          layers: [
            { type: 'dense', units: 8, activation: 'relu', initializer: 'he' },
            { type: 'dense', units: 1, initializer: 'glorot' },
          ],
        },
        train: {
          loss: 'bce',
          optimizer: ['sgd', { lr: 0.5 }],
          batchSize: 16,
          epochs: 20,
          regularizers: [['l2', { strength: 1e-4 }]],
          clipping: [['global-norm', { maxNorm: 5 }]],
        },
      },
      { registry: createRegistry().use(standard) },
    );
    expect(run.stopped).toBeUndefined();
    expect(run.losses.every(Number.isFinite)).toBe(true);
    expect(run.epochs.at(-1)!.trainLoss).toBeLessThan(run.epochs[0].trainLoss);
  });
});
