/** The build-time figure comes in two widths, and the narrow one draws fewer x labels so they stay legible on a phone. */
import { describe, expect, it } from 'vitest';
import { renderSvgPair } from '../src/lab/svg.ts';

const d = {
  x: Array.from({ length: 60 }, (_, i) => i),
  xLabel: 'step',
  yLabel: 'loss',
  log: false,
  series: [{ label: 'loss', values: Array.from({ length: 60 }, (_, i) => 1 / (i + 1)), color: '#0072b2' }],
  summary: '',
  caption: 'loss',
};

describe('renderSvgPair', () => {
  it('a 640-wide and a 340-wide figure; the narrow one labels at most 6 x ticks, the wide one at most 9', () => {
    const html = renderSvgPair(d, 'loss');
    const svgs = html.split('<svg').slice(1);
    expect(svgs).toHaveLength(2);
    expect(svgs[0]).toContain('class="wide" viewBox="0 0 640 280"');
    expect(svgs[1]).toContain('class="narrow" viewBox="0 0 340 280"');
    // x tick labels are the texts anchored middle just under the plot (y = 280 − 44 + 16).
    const ticks = (svg: string) => svg.match(/y="252" text-anchor="middle"/g)?.length ?? 0;
    expect(ticks(svgs[0])).toBeGreaterThan(6);
    expect(ticks(svgs[0])).toBeLessThanOrEqual(9);
    expect(ticks(svgs[1])).toBeLessThanOrEqual(6);
  });
});
