/** The site's one registry recipe: core built-ins, every plugin of src/plugins.ts and the probes. */
import { createRegistry, type Registry } from '@gradlab/core';
import probes from '@gradlab/probes';
import { plugins } from '../plugins.ts';

export function createSiteRegistry(): Registry {
  return createRegistry().use(plugins).use(probes);
}
