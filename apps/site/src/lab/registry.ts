/** The site's registry recipe: core built-ins, the plugins of src/plugins.ts and the probes. */
import { createRegistry, type Registry } from '@gradlab/core';
import probes from '@gradlab/probes';
import { activations, allPlugins, clipping, initializers } from '../plugins.ts';

/** Every plugin: the build (reference pages, controls) and the Node side of the tests. */
export function createSiteRegistry(): Registry {
  return createRegistry().use(allPlugins()).use(probes);
}

/**
 * What the worker's jobs can name: no widget offers a regularizer, so they stay out of the worker's
 * bundle (it has a 50 KB gzip budget). Same plugin code, so the same bits as the full registry.
 */
export function createWorkerRegistry(): Registry {
  return createRegistry()
    .use([...activations, ...initializers, ...clipping])
    .use(probes);
}
