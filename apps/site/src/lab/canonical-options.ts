/** The options of the canonical probe (`runProbe`, `gradlab probe`) that a lab setting names. */
import type { CanonicalOptions } from '@gradlab/probes';
import type { Setting } from './protocol.ts';

const STRING_KEYS = ['activation', 'initializer', 'optimizer'] as const;
const NUMBER_KEYS = ['depth', 'width', 'batch', 'seed', 'gain', 'biasInit', 'alpha', 'steps', 'lr'] as const;

/** The options of the canonical probe (`runProbe`, `gradlab probe`) named by a setting. */
export function canonicalOptions(s: Setting): Partial<CanonicalOptions> {
  const o: Record<string, unknown> = {};
  for (const k of STRING_KEYS) if (typeof s[k] === 'string') o[k] = s[k];
  for (const k of NUMBER_KEYS) if (typeof s[k] === 'number') o[k] = s[k];
  return o as Partial<CanonicalOptions>;
}
