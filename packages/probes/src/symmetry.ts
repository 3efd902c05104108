import { defineProbe, type LayerTrace, type StepTrace } from '@gradlab/plugin-api';
import { finding, NO_FINDINGS } from './alarms.ts';
import { HINTS } from './hints.ts';

const options = {} as const;

export interface SymmetryReport {
  /** Per layer (index), whether all its units had identical incoming weights and bias at the last step. */
  readonly copies: { readonly layer: number; readonly units: number; readonly identical: boolean }[];
  /** Whether δ was exactly 0 in every hidden layer at the last step. */
  readonly zeroHiddenDelta: boolean;
}

/** Every column of W (fan-in × units, row-major) and every bias equal to unit 0's: the units are copies. */
function copies(l: LayerTrace): boolean {
  const { W, b, units } = l;
  if (units < 2 || W.length % units !== 0) return false;
  for (let j = 1; j < units; j++) if (b[j] !== b[0]) return false;
  for (let i = 0; i < W.length; i += units) for (let j = 1; j < units; j++) if (W[i + j] !== W[i]) return false;
  return true;
}

/**
 * `symmetry`: units of a layer that start as exact copies (zero or constant initialization) get
 * identical gradients, so gradient descent keeps them copies forever: the layer acts like one unit.
 * With all-zero weights every hidden δ is exactly 0 too, and nothing below the output learns.
 */
export default defineProbe({
  meta: {
    id: 'symmetry',
    title: 'Symmetry',
    summary: 'Hidden layers whose units are exact copies of each other, which gradient descent cannot separate.',
    emits: ['SYMMETRY'],
    cost: 'per-unit',
  },
  options,
  create: () => {
    let report: SymmetryReport = { copies: [], zeroHiddenDelta: false };
    let fired = false;
    return {
      onStep(trace: StepTrace) {
        const hidden = trace.layers.slice(0, -1).filter((l) => l.type !== 'batchnorm');
        const flags = hidden.map(copies);
        const zero = hidden.length > 0 && hidden.every((l) => l.delta.every((v) => v === 0));
        report = {
          copies: hidden.map((l, k) => ({ layer: l.index, units: l.units, identical: flags[k] })),
          zeroHiddenDelta: zero,
        };
        const layers = hidden.filter((_, k) => flags[k]).map((l) => l.index);
        if (fired || layers.length === 0) return NO_FINDINGS;
        fired = true;
        return [
          finding({
            code: 'SYMMETRY',
            severity: zero ? 'error' : 'warn',
            step: trace.step,
            layer: layers[0],
            message: `Every unit of layer${layers.length > 1 ? 's' : ''} ${layers.join(', ')} has the same incoming weights and bias, so all get the same gradient and stay copies: each such layer learns like a single unit.${zero ? ' Every hidden δ is exactly 0 as well, so no hidden weight changes at all.' : ''}`,
            hint: HINTS.symmetry,
            evidence: { layers: layers.join(','), zeroHiddenDelta: zero ? 1 : 0 },
          }),
        ];
      },
      report: () => report,
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    symmetry: typeof options;
  }
}
