import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const MAX_PARALLEL = 4;
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * `text` as the repo's formatter (Biome, which formats Markdown too) would write `file`, so
 * generated READMEs never fight `biome check`. Without a Biome install, `text` is returned as
 * is; when Biome fails, the promise rejects with its message.
 */
export function formatWithBiome(root: string, file: string, text: string): Promise<string> {
  const biome = join(root, 'node_modules/.bin/biome');
  if (!existsSync(biome)) return Promise.resolve(text);
  return slot(
    () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(biome, ['format', `--stdin-file-path=${relative(root, file)}`, '--colors=off'], {
          cwd: root,
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          err += chunk;
        });
        child.on('error', reject);
        child.on('close', (code) => {
          if (code === 0) resolve(out);
          else
            reject(
              new Error(`biome format failed for ${relative(root, file)}: ${err.replace(/^[\s\S]*?×/, '×').trim()}`),
            );
        });
        child.stdin.end(text);
      }),
  );
}
