import { describe, expect, it } from 'vitest';
import type { LoadedDefinition } from '../src/lib/load.ts';
import { applyBlocks, exampleRef, missingSections, renderBlocks } from '../src/lib/readme.ts';

const leaky = Object.assign(() => ({ gain: Math.SQRT2 }), {
  kind: 'activation',
  meta: {
    kind: 'activation',
    id: 'leaky-relu',
    title: 'Leaky ReLU',
    summary: 'ReLU with a small slope for negative inputs.',
    formula: { forward: 'f(x)=\\max(\\alpha x, x)', derivative: "f'(x)=1 \\text{ or } \\alpha" },
    range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: true, smooth: false, saturates: 'none' },
    kinks: [0],
    recommendedInitializer: 'he',
    references: [{ title: 'Maas et al. (2013)', url: 'https://example.org/maas', year: 2013 }],
  },
  options: { alpha: { type: 'number', default: 0.01, min: 0, max: 1, description: 'Slope | for x < 0.' } },
}) as unknown as LoadedDefinition;

const info = { packageName: '@gradlab/activation-leaky-relu', kind: 'activation', id: 'leaky-relu' };
const blocks = renderBlocks(info, leaky);
const ORDER = ['# ', '## Install', '## Usage', '## Options', '## Formula', '## Notes', '## References'];

/** Offsets of the title and each required heading; -1 when missing. */
function positions(text: string): number[] {
  return ORDER.map((h) => text.search(new RegExp(h === '# ' ? '^# ' : `^${h}$`, 'm')));
}

function expectCanonicalOrder(text: string): void {
  const at = positions(text);
  expect(at.every((p) => p >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
}

describe('renderBlocks', () => {
  it('renders the usage snippet with createRegistry().use(plugin) and the id in a spec layer', () => {
    expect(blocks.usage).toContain("import { createRegistry } from '@gradlab/core';");
    expect(blocks.usage).toContain("import leakyRelu from '@gradlab/activation-leaky-relu';");
    expect(blocks.usage).toContain('const registry = createRegistry().use(leakyRelu);');
    expect(blocks.usage).toContain("activation: ['leaky-relu', { alpha: 0.01 }]");
  });

  it('renders an options table from the OptionSpecs, escaping pipes', () => {
    expect(blocks.options).toContain('| `alpha` | number | `0.01` | 0 … 1 | Slope \\| for x < 0. |');
  });

  it('renders LaTeX in $$ blocks and a properties table for activations', () => {
    expect(blocks.formula).toBe("$$\nf(x)=\\max(\\alpha x, x)\n$$\n\n$$\nf'(x)=1 \\text{ or } \\alpha\n$$");
    expect(blocks.properties).toContain('| Range | (−∞, ∞) |');
    expect(blocks.properties).toContain('| Kinks | x = 0 |');
    expect(blocks.properties).toContain('| Recommended initializer | `he` |');
    expect(blocks.properties).toContain('| Gain (default options) | 1.41421 |');
  });

  it('renders references as links', () => {
    expect(blocks.references).toBe('- [Maas et al. (2013)](https://example.org/maas) (2013)');
  });

  it('writes an options-free plugin as a bare id', () => {
    expect(exampleRef({ ...leaky, meta: leaky.meta, options: {} } as unknown as LoadedDefinition)).toBe("'leaky-relu'");
  });
});

describe('applyBlocks', () => {
  it('builds a full README in canonical order from nothing', () => {
    const text = applyBlocks(undefined, blocks, info.packageName);
    expect(text.startsWith('# @gradlab/activation-leaky-relu\n\n<!-- gradlab:gen:summary -->')).toBe(true);
    expect(missingSections(text)).toEqual([]);
    expectCanonicalOrder(text);
    expect(text).toContain('## Notes\n\n_No notes yet._');
  });

  it('keeps human text and inserts missing sections around ## Notes, in order', () => {
    const human =
      '# Leaky ReLU for gradlab\n\nIntro by a human.\n\n## Notes\n\nDead units are rarer than with ReLU.\n\n## License\n\nMIT\n';
    const text = applyBlocks(human, blocks, info.packageName);
    expect(text).toContain('# Leaky ReLU for gradlab');
    expect(text).toContain('Intro by a human.');
    expect(text).toContain('## Notes\n\nDead units are rarer than with ReLU.\n\n## References');
    expect(text).toContain('## License\n\nMIT');
    expectCanonicalOrder(text);
    expect(text.indexOf('## References')).toBeLessThan(text.indexOf('## License'));
  });

  it('keeps an intro paragraph under the title, before ## Install', () => {
    const human = '# T\n\nAn intro paragraph.\n\n## Notes\n\nNotes.\n';
    const text = applyBlocks(human, blocks, info.packageName);
    expect(text.indexOf('An intro paragraph.')).toBeLessThan(text.indexOf('## Install'));
    expect(text.indexOf('<!-- /gradlab:gen:summary -->')).toBeLessThan(text.indexOf('An intro paragraph.'));
    expectCanonicalOrder(text);
  });

  it('replaces stale blocks in place and is idempotent', () => {
    const first = applyBlocks(undefined, blocks, info.packageName);
    const stale = first.replace('ReLU with a small slope', 'An OLD summary');
    expect(applyBlocks(stale, blocks, info.packageName)).toBe(first);
    expect(applyBlocks(first, blocks, info.packageName)).toBe(first);
  });

  it('ignores headings inside fenced code in human sections', () => {
    const human = '# T\n\n## Notes\n\n```sh\n# not a heading\n## Usage\n```\n';
    const text = applyBlocks(human, blocks, info.packageName);
    expect(text).toContain('```sh\n# not a heading\n## Usage\n```');
    expect(text.match(/^## Usage$/gm)).toHaveLength(2);
    expect(missingSections(text)).toEqual([]);
  });
});
