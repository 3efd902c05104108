import { type SpawnSyncOptions, spawnSync } from 'node:child_process';

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command without a shell; never throws for a non-zero exit (a missing binary gives status 127). */
export function runCommand(command: string, args: readonly string[], options: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) return { status: 127, stdout: '', stderr: `${command}: ${r.error.message}` };
  return { status: r.status ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/**
 * Remove `dir` when the process ends, also when turbo or a user interrupts it (SIGINT/SIGTERM),
 * so temporary folders never outlive a run. `now()` removes it at once; `keep()` leaves it.
 */
export function removeOnExit(dir: string, remove: (dir: string) => void): { now(): void; keep(): void } {
  let done = false;
  const clean = () => {
    if (done) return;
    done = true;
    remove(dir);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    clean();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const detach = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', clean);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', clean);
  return {
    now() {
      detach();
      clean();
    },
    keep() {
      detach();
      done = true;
    },
  };
}
