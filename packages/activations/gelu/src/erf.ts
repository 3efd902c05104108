import { math } from '@gradlab/plugin-api';

/**
 * erfc by W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969; the CALERF
 * routine of SPECFUN, netlib.org/specfun/erf): about 1e-16 relative error in float64 wherever
 * the result is a normal number. JavaScript has no Math.erf. The coefficients are Cody's
 * 18-digit values written as the nearest doubles.
 */
const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707,
  2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247,
  3439.3676741437216, 1230.3393548037495,
];
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
];
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
const INV_SQRT_PI = 0.5641895835477563;
/** Beyond this erfc underflows to 0. */
const X_BIG = 26.543;

/** e^{−y²} as two factors, so the rounding error of y² is not amplified by the exponential (Cody). */
function expMinusSquare(y: number): number {
  const head = Math.trunc(y * 16) / 16;
  return math.exp(-head * head) * math.exp(-(y - head) * (y + head));
}

/** erfc(x) = 1 − erf(x), with relative accuracy in the right tail (erfc(26) ≈ 5.7e−296). */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) {
    // erf(x) = x·R(x²) near 0, where erfc has no cancellation to fear.
    const z = y * y;
    let num = A[4] * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]) * z;
      den = (den + B[i]) * z;
    }
    return 1 - (x * (num + A[3])) / (den + B[3]);
  }
  let r: number;
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    r = (expMinusSquare(y) * (num + C[7])) / (den + D[7]);
  } else if (y < X_BIG) {
    const z = 1 / (y * y);
    let num = P[5] * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]) * z;
      den = (den + Q[i]) * z;
    }
    r = (expMinusSquare(y) * (INV_SQRT_PI - (z * (num + P[4])) / (den + Q[4]))) / y;
  } else {
    r = Number.isNaN(y) ? y : 0;
  }
  return x < 0 ? 2 - r : r;
}
