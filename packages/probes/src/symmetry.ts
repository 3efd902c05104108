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

/** Whether every entry of δ is exactly 0 (−0 too). */
function deltaIsZero(l: LayerTrace): boolean {
  const d = l.delta;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) return false;
  return true;
}

/**
 * `symmetry`: units of a layer that start as exact copies (zero or constant initialization) get
 * identical gradients, so gradient descent keeps them copies forever: the layer acts like one unit.
 * With all-zero weights every hidden δ is exactly 0 too, so no hidden weight gets a gradient; where
 * f(0) = 0 (ReLU, tanh) the output weights get none either and that lasts forever, while a sigmoid's
 * f(0) = ½ lets the output weights move and the layers below wake one per step, still as copies.
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
    // The report describes the last step only: per step keep one flag per hidden layer (and
    // whether every hidden δ was 0), and build the report's objects in report().
    let hidden: readonly LayerTrace[] = [];
    let layout: readonly LayerTrace[] | undefined;
    let flags = new Uint8Array(0);
    let zero = false;
    let fired = false;
    return {
      onStep(trace: StepTrace) {
        if (trace.layers !== layout) {
          layout = trace.layers;
          hidden = trace.layers.slice(0, -1).filter((l) => l.type !== 'batchnorm');
          flags = new Uint8Array(hidden.length);
        }
        let any = false;
        for (let k = 0; k < hidden.length; k++) {
          flags[k] = +copies(hidden[k]);
          if (flags[k]) any = true;
        }
        zero = hidden.length > 0 && hidden.every(deltaIsZero);
        if (fired || !any) return NO_FINDINGS;
        const layers = hidden.filter((_, k) => flags[k]).map((l) => l.index);
        fired = true;
        return [
          finding({
            code: 'SYMMETRY',
            severity: zero ? 'error' : 'warn',
            step: trace.step,
            layer: layers[0],
            message: `Every unit of layer${layers.length > 1 ? 's' : ''} ${layers.join(', ')} has the same incoming weights and bias, so all get the same gradient and stay copies: each such layer learns like a single unit.${zero ? ' Every hidden δ is exactly 0 as well, so no hidden weight gets a gradient at this step; if f(0) = 0 (ReLU, tanh) the output weights get none either, and it stays that way.' : ''}`,
            hint: HINTS.symmetry,
            evidence: { layers: layers.join(','), zeroHiddenDelta: zero ? 1 : 0 },
          }),
        ];
      },
      report: (): SymmetryReport => ({
        copies: hidden.map((l, k) => ({ layer: l.index, units: l.units, identical: flags[k] === 1 })),
        zeroHiddenDelta: zero,
      }),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    symmetry: typeof options;
  }
}
