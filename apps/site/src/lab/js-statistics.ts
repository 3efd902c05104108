/**
 * What the site's workers load instead of @gradlab/probes' `wasm/simd-passes` (astro.config.mjs,
 * decision 0053): the probes' statistics in their JavaScript loops only. The wasm passes give the
 * same bits (tools/browser-check proves it in Chromium), so every number a page shows is unchanged;
 * leaving them out keeps their ~1.3 KB gzip of glue and module out of the worker's 50 KB budget.
 */

/** No tensor is long enough for a wasm pass: every statistic takes its JavaScript loop. */
export const SIMD_MIN_LENGTH = Number.POSITIVE_INFINITY;

/** Never called while SIMD_MIN_LENGTH is infinite; answers "use the JavaScript loops" if it is. */
export function simdPasses(): undefined {
  return undefined;
}

/** The probes' public switch, answering as a runtime without wasm would. */
export function useSimdPasses(mode: 'auto' | 'js' | 'wasm'): { passes: 'js'; reason: string } {
  if (mode === 'wasm') throw new Error('wasm statistics unavailable: the site workers ship the JavaScript loops');
  return { passes: 'js', reason: 'the site workers ship the JavaScript loops (decision 0053)' };
}
