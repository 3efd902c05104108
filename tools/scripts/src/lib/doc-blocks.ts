import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rel } from './workspace.ts';

/**
 * The TypeScript code blocks of the repository's Markdown (READMEs and docs), which pack-test
 * typechecks and runs against the packed packages (remark-lint's idea: the docs' examples are tests).
 *
 * A block that is deliberately not a complete program (an excerpt of an interface, a test file
 * that imports `../src/index.ts`) says so on the line before its fence, with a reason:
 *
 *     <!-- doc-test: fragment, an excerpt of the types in packages/plugin-api/src/types.ts -->
 *
 * Every other ```ts block must compile on its own (strict, nodenext) and run without error.
 */
export interface DocBlock {
  /** Repository-relative path of the Markdown file. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
  /** The reason given by a `doc-test: fragment` marker; undefined for blocks that are tested. */
  readonly fragment?: string;
}

export const FRAGMENT_MARKER = /^<!--\s*doc-test:\s*fragment\b[,:]?\s*(.*?)\s*-->\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript|mts)\b.*$/;
/** Folders never searched: dependencies, build output, changesets and test fixtures (fake repositories). */
const SKIP_DIRS = new Set([
  'node_modules',
  'dist',
  '.git',
  '.turbo',
  '.changeset',
  'fixtures',
  'test-results',
  'coverage',
]);

/** Every Markdown file under `root` whose blocks are documentation (CHANGELOGs are history, not examples). */
export function listDocFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(join(dir, entry.name));
      } else if (entry.name.endsWith('.md') && entry.name !== 'CHANGELOG.md') out.push(join(dir, entry.name));
    }
  };
  walk(root);
  return out.sort();
}

/** The TypeScript blocks of one Markdown text; throws on a marker without a reason or an unclosed fence. */
export function extractBlocks(text: string, file: string): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) {
      // Skip other fenced blocks whole, so a ```ts inside a ```md example is not taken for a block.
      const other = /^(\s*)(`{3,}|~{3,})/.exec(lines[i]);
      if (other) {
        const close = lines.findIndex((l, j) => j > i && l.trim() === other[2]);
        i = close < 0 ? lines.length : close;
      }
      continue;
    }
    const [, indent, fence] = open;
    const end = lines.findIndex((l, j) => j > i && l.trim() === fence);
    if (end < 0) throw new Error(`${file}:${i + 1}: the \`\`\`ts block is never closed`);
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? FRAGMENT_MARKER.exec(lines[before].trim()) : null;
    if (marker && !marker[1]) {
      throw new Error(
        `${file}:${before + 1}: a doc-test fragment marker needs a reason (<!-- doc-test: fragment, why -->)`,
      );
    }
    const code = lines
      .slice(i + 1, end)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join('\n');
    blocks.push({ file, line: i + 1, code: `${code}\n`, ...(marker ? { fragment: marker[1] } : {}) });
    i = end;
  }
  return blocks;
}

/** Every TypeScript block of every doc under `root`. */
export function collectDocBlocks(root: string): DocBlock[] {
  return listDocFiles(root).flatMap((f) => extractBlocks(readFileSync(f, 'utf8'), rel(root, f)));
}

/** A file name for a block that says where it came from: `packages-core-README.md-L23.ts`. */
export function blockFileName(block: DocBlock): string {
  return `${block.file.replace(/[^A-Za-z0-9.]+/g, '-')}-L${block.line}.ts`;
}
