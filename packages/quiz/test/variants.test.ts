import { describe, expect, it } from 'vitest';
import {
  chooseVariant,
  fillParams,
  hashString,
  instantiate,
  keyRequests,
  listVariants,
  type NumericQuestion,
} from '../src/index.ts';

const q: NumericQuestion = {
  id: 'sigmoid-chain',
  type: 'numeric',
  prompt: 'A chain of {{depth}} sigmoid units at z = 0: what is the product of the local derivatives?',
  variants: { params: { depth: [5, 10, 20] } },
  key: { compute: 'sigmoid-chain', args: { depth: '$depth', z: 0 } },
  tolerance: { sigfigs: 2 },
  hints: ['σ′(0) = {{depth}} × …? No: it is 1/4 per layer.'],
};

describe('seeded variants', () => {
  it('lists the cartesian product, names sorted, first name slowest', () => {
    expect(listVariants({ variants: { params: { depth: [5, 10], act: ['sigmoid', 'tanh'] } } })).toEqual([
      { act: 'sigmoid', depth: 5 },
      { act: 'sigmoid', depth: 10 },
      { act: 'tanh', depth: 5 },
      { act: 'tanh', depth: 10 },
    ]);
    expect(listVariants({})).toEqual([{}]);
    expect(listVariants({ variants: { list: [{ g: 1.5 }, { g: 0.8 }] } })).toEqual([{ g: 1.5 }, { g: 0.8 }]);
  });

  it('FNV-1a matches its published test vectors ("" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968)', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });

  it('chooses the same variant for the same seed, and spreads seeds over all variants', () => {
    expect(chooseVariant(q, 42)).toBe(chooseVariant(q, 42));
    const seen = new Set(Array.from({ length: 60 }, (_, s) => chooseVariant(q, s)));
    expect([...seen].sort()).toEqual([0, 1, 2]);
    expect(chooseVariant(q, 7)).toBe(hashString('7/sigmoid-chain') % 3);
  });

  it('asks the caller for one key per variant, with $params filled in as typed values', () => {
    expect(keyRequests(q)).toEqual([
      { question: 'sigmoid-chain', variant: 0, compute: 'sigmoid-chain', args: { depth: 5, z: 0 } },
      { question: 'sigmoid-chain', variant: 1, compute: 'sigmoid-chain', args: { depth: 10, z: 0 } },
      { question: 'sigmoid-chain', variant: 2, compute: 'sigmoid-chain', args: { depth: 20, z: 0 } },
    ]);
    expect(keyRequests({ ...q, key: { value: 1 } })).toEqual([]);
  });

  it('instantiate fills {{placeholders}} everywhere and attaches the caller’s key', () => {
    const i = instantiate(q, 1, 0.25 ** 10);
    expect(i.prompt).toBe('A chain of 10 sigmoid units at z = 0: what is the product of the local derivatives?');
    expect(i.hints).toEqual(['σ′(0) = 10 × …? No: it is 1/4 per layer.']);
    expect(i).toMatchObject({ key: 0.25 ** 10, variant: 1, params: { depth: 10 } });
    expect('variants' in i).toBe(false);
  });

  it('a literal key needs nothing from the caller; a computed key that is missing, or a bad variant, throws by name', () => {
    expect(instantiate({ ...q, variants: undefined, key: { value: 0.25 } }).key).toBe(0.25);
    expect(() => instantiate(q, 0)).toThrowErrorMatchingInlineSnapshot(
      `[MissingKey: Question "sigmoid-chain" (variant 0) needs the key computed by "sigmoid-chain", and none was passed.]`,
    );
    expect(() => instantiate(q, 3, 1)).toThrowErrorMatchingInlineSnapshot(
      `[UnknownVariant: Question "sigmoid-chain" has 3 variants (0 … 2); received 3.]`,
    );
  });

  it('fillParams keeps unknown placeholders and numbers typed', () => {
    expect(fillParams({ a: '$d', b: '{{d}} and {{e}}', c: ['$d'] }, { d: 3 })).toEqual({
      a: 3,
      b: '3 and {{e}}',
      c: [3],
    });
  });
});
