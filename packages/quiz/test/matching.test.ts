import { describe, expect, it } from 'vitest';
import { gradeMatching } from '../src/index.ts';

const q = {
  prompts: [
    { id: 'vanish', label: '‖δ‖ shrinks 1e-7× across the stack' },
    { id: 'explode', label: 'Loss becomes NaN after a few steps' },
    { id: 'dead', label: '60% of units output 0 on every example' },
  ],
  choices: [
    { id: 'relu-he', label: 'ReLU with He init' },
    { id: 'clip', label: 'Clip by global norm' },
    { id: 'leaky', label: 'Leaky ReLU' },
    { id: 'width', label: 'Twice the width' },
  ],
  pairs: { vanish: 'relu-he', explode: 'clip', dead: 'leaky' },
  feedback: { vanish: { width: 'Width does not change the per-layer factor 1/4.' } },
};

describe('gradeMatching', () => {
  it('all pairs right → 1', () => {
    expect(gradeMatching(q, { vanish: 'relu-he', explode: 'clip', dead: 'leaky' })).toEqual({
      score: 1,
      correct: true,
      feedback: [],
    });
  });

  it('2 of 3 → 2/3, with the authored feedback for the wrong pair', () => {
    const r = gradeMatching(q, { vanish: 'width', explode: 'clip', dead: 'leaky' });
    expect(r.score).toBeCloseTo(2 / 3, 15);
    expect(r.feedback).toEqual([
      { tone: 'wrong', text: 'Width does not change the per-layer factor 1/4.', target: 'vanish' },
    ]);
  });

  it('a wrong pair without authored feedback gets a generic line naming both', () => {
    const r = gradeMatching(q, { vanish: 'relu-he', explode: 'leaky', dead: 'clip' });
    expect(r.score).toBeCloseTo(1 / 3, 15);
    expect(r.feedback.map((f) => f.text)).toEqual([
      '“Leaky ReLU” does not fix “Loss becomes NaN after a few steps”.',
      '“Clip by global norm” does not fix “60% of units output 0 on every example”.',
    ]);
  });

  it('unmatched prompts or unknown choices are invalid', () => {
    expect(gradeMatching(q, { vanish: 'relu-he' }).invalid).toBe('Match every item (2 left).');
    expect(gradeMatching(q, { vanish: 'nope', explode: 'clip', dead: 'leaky' }).invalid).toBe('No choice "nope".');
  });
});
