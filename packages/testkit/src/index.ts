/**
 * @gradlab/testkit: the plugin contract, executable. Each plugin's test calls the suite for
 * its kind; every check is a named `it`, and skipping one needs a written reason.
 */
export * from './activation.ts';
export * from './clipping.ts';
export * from './gradcheck.ts';
export * from './initializer.ts';
export * from './matchers.ts';
export * from './plugin.ts';
export * from './probe.ts';
export * from './regularizer.ts';
