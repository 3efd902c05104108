import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommand } from './lib/command-args.ts';
import { findRoot, listPackages, listPluginPackages, rel } from './lib/workspace.ts';

export const help = `Usage: gradlab-scripts sz [--root DIR]

A tinygrad-style line budget. Counts code lines (not blank, not only a comment) in every
workspace package's src/ and fails when a budget is exceeded:
  the engine in packages/core/src ≤ ${2175}  (core minus spec/, errors/, wasm/, datasets.ts, serialize.ts, weights.ts, input-gradient.ts)
  packages/core/src in total   ≤ ${3700}
  any plugin's src/index.ts    ≤ ${120}
  any source file              ≤ ${400}
Raise a budget on purpose, in its own PR, never quietly (docs/decisions/0009-core-line-budget.md, 0024).

Options:
  --root DIR   Repository root (default: found from the current folder).
  -h, --help   Show this help.`;

export const BUDGETS = { engine: 2175, core: 3700, pluginIndex: 120, file: 400 } as const;

/** Core files that are validation, data or I/O rather than the training step (decision 0009). */
const NOT_ENGINE = /^src\/(spec\/|errors\/|wasm\/|datasets\.ts$|serialize\.ts$|weights\.ts$|input-gradient\.ts$)/;

/**
 * Code lines of a TS/JS source: lines left with something other than whitespace once
 * comments are removed. Strings and template literals are skipped so `'//'` is not a comment.
 */
export function countCodeLines(source: string): number {
  let count = 0;
  let inBlock = false;
  let inTemplate = false;
  for (const line of source.split('\n')) {
    let code = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inBlock) {
        if (c === '*' && line[i + 1] === '/') {
          inBlock = false;
          i++;
        }
        continue;
      }
      if (inTemplate) {
        code = true;
        if (c === '\\') i++;
        else if (c === '`') inTemplate = false;
        continue;
      }
      if (c === '/' && line[i + 1] === '*') {
        inBlock = true;
        i++;
      } else if (c === '/' && line[i + 1] === '/') break;
      else if (c === '`') {
        inTemplate = true;
        code = true;
      } else if (c === "'" || c === '"') {
        code = true;
        for (i++; i < line.length && line[i] !== c; i++) if (line[i] === '\\') i++;
      } else if (c.trim()) code = true;
    }
    if (code) count++;
  }
  return count;
}

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(sourceFiles(path));
    else if (/\.(ts|tsx|mts|js|mjs|astro)$/.test(name) && !/\.d\.ts$/.test(name)) out.push(path);
  }
  return out;
}

export interface SzReport {
  rows: { dir: string; files: number; lines: number; engineLines?: number; largest: string; largestLines: number }[];
  failures: string[];
}

export function measure(root: string): SzReport {
  const plugins = new Set(listPluginPackages(root).map((p) => p.dir));
  const rows: SzReport['rows'] = [];
  const failures: string[] = [];
  for (const p of listPackages(root)) {
    const files = sourceFiles(join(p.path, 'src'));
    if (!files.length) continue;
    let lines = 0;
    let engineLines = 0;
    let largest = '';
    let largestLines = 0;
    for (const file of files) {
      const n = countCodeLines(readFileSync(file, 'utf8'));
      lines += n;
      if (!NOT_ENGINE.test(rel(p.path, file))) engineLines += n;
      if (n > largestLines) [largest, largestLines] = [rel(root, file), n];
      if (n > BUDGETS.file) failures.push(`${rel(root, file)}: ${n} code lines > ${BUDGETS.file} per file`);
      if (plugins.has(p.dir) && rel(p.path, file) === 'src/index.ts' && n > BUDGETS.pluginIndex) {
        failures.push(`${rel(root, file)}: ${n} code lines > ${BUDGETS.pluginIndex} for a plugin's src/index.ts`);
      }
    }
    if (p.dir === 'packages/core' && lines > BUDGETS.core) {
      failures.push(`packages/core/src: ${lines} code lines > ${BUDGETS.core} for the core package`);
    }
    if (p.dir === 'packages/core' && engineLines > BUDGETS.engine) {
      failures.push(`packages/core/src (engine): ${engineLines} code lines > ${BUDGETS.engine} for the engine`);
    }
    rows.push({
      dir: p.dir,
      files: files.length,
      lines,
      ...(p.dir === 'packages/core' && { engineLines }),
      largest,
      largestLines,
    });
  }
  return { rows, failures };
}

export async function run(argv: string[]): Promise<number> {
  const values = parseCommand(argv, help, { root: { type: 'string' } });
  if (!values) return 0;
  const root = findRoot(values.root);
  const { rows, failures } = measure(root);
  const width = Math.max(...rows.map((r) => r.dir.length), 7);
  const total = rows.reduce((s, r) => s + r.lines, 0);
  console.log(`${'package'.padEnd(width)}  files  lines  largest file`);
  for (const r of rows.sort((a, b) => b.lines - a.lines)) {
    const largest = r.largest.slice(r.dir.length + 1);
    console.log(
      `${r.dir.padEnd(width)}  ${String(r.files).padStart(5)}  ${String(r.lines).padStart(5)}  ${largest} (${r.largestLines})`,
    );
  }
  console.log(`${'total'.padEnd(width)}  ${' '.repeat(5)}  ${String(total).padStart(5)}`);
  const core = rows.find((r) => r.dir === 'packages/core');
  console.log(
    `\nbudgets: engine ${core?.engineLines ?? 0}/${BUDGETS.engine}, core ${core?.lines ?? 0}/${BUDGETS.core}, plugin src/index.ts ≤ ${BUDGETS.pluginIndex}, file ≤ ${BUDGETS.file}`,
  );
  if (!failures.length) return 0;
  console.error(`\n${'!'.repeat(72)}\nsz: OVER BUDGET\n`);
  for (const f of failures) console.error(`  ✗ ${f}`);
  console.error(
    `\nShrink the code, or raise the budget on purpose in tools/scripts/src/sz.ts in its own PR.\n${'!'.repeat(72)}`,
  );
  return 1;
}
