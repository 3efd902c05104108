/**
 * Stands in for `@gradlab/preset-standard` in the worker bundle only (astro.config.mjs). @gradlab/probes
 * imports the preset for the registry `runProbe` and `createProbeRunner` use when none is given; the
 * worker always passes its own (src/lab/registry.ts), so that default is dead code that would cost the
 * worker ~1.2 KB gzip of plugins it never names (its budget is 50 KB). Reaching it is a bug: say so.
 */
const preset = {
  get kind(): never {
    throw new Error(
      'The site worker used @gradlab/probes without a registry: pass createWorkerRegistry() (src/lab/registry.ts).',
    );
  },
};
export default preset;
