/**
 * @gradlab/plugin-api: the contract every gradlab plugin depends on, and nothing else.
 * Types, `define*` helpers, declarative options, the shared error class and `varianceScaling`.
 */
export * from './define.ts';
export * from './errors.ts';
export * from './helpers.ts';
export { expInto, logisticInto, math, tanhInto } from './math.ts';
export * from './options.ts';
export * from './spectral.ts';
export * from './suggest.ts';
export * from './types.ts';
export * from './variance-scaling.ts';
