import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The CLI from source: Node strips the types, and the condition resolves siblings to their sources. */
export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Concurrent tests share the cores: at most this many CLI processes run at once. */
const LIMIT = Math.max(2, availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= LIMIT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Spawn `gradlab …` (not a TTY). Colour variables are cleared unless given. */
export function gradlab(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  return slot(() => spawnCli(args, options));
}

function spawnCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string }) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
  Object.assign(env, options.env);
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise<Result>((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@gradlab/source', BIN, ...args],
      { env: env as NodeJS.ProcessEnv, cwd: options.cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Stack frames look like "    at fn (file:line:col)". */
export const STACK = /^\s+at /m;

/** Spawned CLI processes take a few hundred milliseconds each to start. */
export const TIMEOUT = 60_000;
