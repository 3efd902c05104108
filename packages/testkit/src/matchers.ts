/**
 * Vitest matchers for numerical tests. Importing `@gradlab/testkit` installs them (the testkit
 * is only ever loaded inside Vitest); {@link installMatchers} is exported for setup files that
 * want to be explicit, and is idempotent.
 *
 * ```ts
 * expect(out).toBeCloseToArray([0.5, 0.73], { rtol: 1e-12 });
 * expect(gradcheck(f, 1, df(1))).toPassGradcheck();
 * ```
 */
import { expect } from 'vitest';
import { type GradcheckResult, type GradcheckVectorResult, isClose } from './gradcheck.ts';

/** Tolerances of {@link installMatchers | toBeCloseToArray}; defaults rtol 1e-12, atol 1e-15. */
export interface CloseToArrayOptions {
  readonly rtol?: number;
  readonly atol?: number;
}

declare module 'vitest' {
  interface Matchers<R, T> {
    /**
     * Same length, and every element within atol + rtol·max(|a|, |e|) (defaults rtol 1e-12,
     * atol 1e-15). NaN matches NaN; infinities must be equal.
     */
    toBeCloseToArray(expected: ArrayLike<number>, options?: CloseToArrayOptions): R;
    /** The received gradcheck result (scalar or vector) has `ok: true`. */
    toPassGradcheck(): R;
  }
}

function toBeCloseToArray(received: ArrayLike<number>, expected: ArrayLike<number>, options: CloseToArrayOptions = {}) {
  const { rtol = 1e-12, atol = 1e-15 } = options;
  if (received?.length !== expected.length) {
    return {
      pass: false,
      message: () => `expected an array of length ${expected.length}, received length ${received?.length}`,
    };
  }
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (!isClose(received[i], expected[i], rtol, atol)) {
      bad.push(`[${i}] received ${received[i]}, expected ${expected[i]}`);
    }
  }
  return {
    pass: bad.length === 0,
    message: () =>
      bad.length === 0
        ? `expected arrays to differ beyond rtol ${rtol}, atol ${atol}, but all ${expected.length} elements are close`
        : `${bad.length} of ${expected.length} elements differ beyond rtol ${rtol}, atol ${atol}:\n  ${bad.slice(0, 10).join('\n  ')}`,
  };
}

function toPassGradcheck(received: GradcheckResult | GradcheckVectorResult) {
  const where = 'x' in received ? `at x = ${received.x}` : `at index ${received.index}`;
  const analytic = 'x' in received ? received.analytic : received.analytic[received.index];
  const numeric = 'x' in received ? received.numeric : received.numeric[received.index];
  return {
    pass: received.ok,
    message: () =>
      `gradcheck ${received.ok ? 'passed' : 'failed'} ${where}: analytic ${analytic}, numeric ${numeric}, ` +
      `error ${received.error} vs tolerance ${received.tolerance}`,
  };
}

let installed = false;

/** Install the matchers with `expect.extend` (runs on import; safe to call again). */
export function installMatchers(): void {
  if (installed) return;
  expect.extend({ toBeCloseToArray, toPassGradcheck });
  installed = true;
}

installMatchers();
