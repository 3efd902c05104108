import { describe, expect, it } from 'vitest';
import { blockFileName, extractBlocks } from '../src/lib/doc-blocks.ts';

const DOC = [
  '# Title',
  '',
  '```ts',
  "import { a } from 'a';",
  '```',
  '',
  '<!-- doc-test: fragment, an excerpt of the types -->',
  '',
  '```ts',
  'interface X {}',
  '```',
  '',
  '````md',
  '```ts',
  'not a block: inside a Markdown example',
  '```',
  '````',
  '',
  '1. A list item:',
  '',
  '   ```typescript',
  '   const x = 1;',
  '   ```',
  '```sh',
  'echo not typescript',
  '```',
].join('\n');

describe('doc blocks', () => {
  it('extracts ts/typescript blocks with their line, fragment reasons, and skips other fences whole', () => {
    const blocks = extractBlocks(DOC, 'docs/x.md');
    expect(blocks).toEqual([
      { file: 'docs/x.md', line: 3, code: "import { a } from 'a';\n" },
      { file: 'docs/x.md', line: 9, code: 'interface X {}\n', fragment: 'an excerpt of the types' },
      { file: 'docs/x.md', line: 21, code: 'const x = 1;\n' },
    ]);
    expect(blockFileName(blocks[0])).toBe('docs-x.md-L3.ts');
  });

  it('refuses a fragment marker without a reason and an unclosed block', () => {
    expect(() => extractBlocks('<!-- doc-test: fragment -->\n```ts\nx\n```\n', 'a.md')).toThrow(/needs a reason/);
    expect(() => extractBlocks('```ts\nx\n', 'a.md')).toThrow(/a.md:1: the ```ts block is never closed/);
  });
});
