/** The site's registry recipe: core built-ins, the plugins of src/plugins.ts and the probes. */
import { createRegistry, type Registry } from '@gradlab/core';
import probes from '@gradlab/probes';
import { activations, allPlugins, clipping, initializers, regularizers } from '../plugins.ts';

/** Every plugin: the build (reference pages, controls) and the Node side of the tests. */
export function createSiteRegistry(): Registry {
  return createRegistry().use(allPlugins()).use(probes);
}

/**
 * What the worker's jobs can name: every plugin the site shows (page 9's training widgets take a
 * regularizer; the three add 0.6 KB gzip to the worker entry, measured with `pnpm budget`). Kept as
 * its own list so a plugin the worker never needs can stay out of its bundle (50 KB gzip budget).
 * Same plugin code, so the same bits as the full registry.
 */
export function createWorkerRegistry(): Registry {
  return createRegistry()
    .use([...activations, ...initializers, ...clipping, ...regularizers])
    .use(probes);
}
