/** Which layers a report describes, and which a first/last ratio spans. */
import type { LayerTrace } from '@gradlab/plugin-api';

/** Layer description for reports. */
export interface LayerInfo {
  readonly index: number;
  readonly type: LayerTrace['type'];
  readonly activation: string;
  readonly units: number;
}
export const layerInfo = (l: LayerTrace): LayerInfo => ({
  index: l.index,
  type: l.type,
  activation: l.activation,
  units: l.units,
});

/**
 * The layers first/last ratios span. `'hidden'` (default): layer 0 to the last layer before the
 * output layer, because the question is how the signal changes across the hidden stack (the
 * output layer's activation and size differ); a one-layer net uses that layer for both.
 * `'all'`: layer 0 to the output layer.
 */
export function ratioSpan(layerCount: number, span: 'hidden' | 'all'): { first: number; last: number } {
  const last = span === 'all' || layerCount < 2 ? layerCount - 1 : layerCount - 2;
  return { first: 0, last: Math.max(0, last) };
}
