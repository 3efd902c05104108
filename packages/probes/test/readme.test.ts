import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OptionSpec } from '@gradlab/plugin-api';
import { expect, it } from 'vitest';
import probes, { FINDINGS } from '../src/index.ts';

const FILE = fileURLToPath(new URL('../README.md', import.meta.url));
const esc = (s: string) => s.replaceAll('|', '\\|');

function range(o: OptionSpec): string {
  if (o.type === 'enum') return o.values.map((v) => `\`'${v}'\``).join(', ');
  if (o.type === 'boolean') return '–';
  const lo = o.min ?? '−∞';
  const hi = o.max ?? '∞';
  return `${lo} … ${hi}`;
}

const optionTable = (probe: (typeof probes)[number]) => {
  const rows = Object.entries(probe.options as Record<string, OptionSpec>).map(
    ([key, o]) => `| \`${key}\` | ${o.type} | \`${JSON.stringify(o.default)}\` | ${range(o)} | ${esc(o.description)} |`,
  );
  if (rows.length === 0) return 'No options.';
  return ['| Option | Type | Default | Range | Description |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
};

const findingsTable = () =>
  [
    '| Code | Title | Emitted by | Fixes to try |',
    '| --- | --- | --- | --- |',
    ...Object.entries(FINDINGS).map(([code, f]) => {
      const ids = [...new Set(f.fixes.flatMap((x) => x.try ?? []))].map((id) => `\`${id}\``).join(', ');
      return `| \`${code}\` | ${f.title} | ${f.emittedBy.map((p) => `\`${p}\``).join(', ')} | ${ids || '–'} |`;
    }),
  ].join('\n');

/** The README's generated blocks: option tables and the findings table come from runtime metadata. */
function generate(readme: string): string {
  let out = readme.replace(
    /<!-- findings -->[\s\S]*?<!-- \/findings -->/,
    `<!-- findings -->\n${findingsTable()}\n<!-- /findings -->`,
  );
  for (const probe of probes) {
    const block = new RegExp(`<!-- probe-options:${probe.meta.id} -->[\\s\\S]*?<!-- /probe-options -->`);
    expect(out, `README has no options block for ${probe.meta.id}`).toMatch(block);
    out = out.replace(block, `<!-- probe-options:${probe.meta.id} -->\n${optionTable(probe)}\n<!-- /probe-options -->`);
  }
  return out;
}

/**
 * Biome formats Markdown and pads table cells to align columns; padding carries no content, so
 * both sides are compared with table rows unpadded (cells trimmed, `---` rules shortened).
 */
const unpadTables = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .replace(/ *\| */g, ' | ')
            .replace(/-{3,}/g, '---')
            .trim()
        : line,
    )
    .join('\n');

// `UPDATE=1 npx vitest run --project @gradlab/probes test/readme` rewrites the generated blocks.
it('the README option and findings tables match the probes’ metadata (UPDATE=1 rewrites them)', () => {
  const readme = readFileSync(FILE, 'utf8');
  const generated = generate(readme);
  if (process.env.UPDATE === '1') writeFileSync(FILE, generated);
  expect(unpadTables(readFileSync(FILE, 'utf8')), 'run with UPDATE=1 to regenerate the README tables').toBe(
    unpadTables(generated),
  );
});
