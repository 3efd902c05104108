import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { failure, isNodeError } from './errors.ts';

/** The files `writeRunOutputs` writes at the top of an output folder. */
export const RUN_FILES = ['run.json', 'model.json', 'findings.json', 'history.csv', 'epochs.csv'] as const;

const code = (error: unknown) => (isNodeError(error) ? error.code : String(error));
const isDir = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return undefined;
  }
};

/**
 * Make `--out DIR` ready before training starts, so a typo cannot lose a finished run:
 * - a missing folder is created one level at a time, not with `mkdir -p`: Node's recursive mkdir
 *   loops forever on paths it cannot create under a virtual file system (`--out /proc/x` spun at
 *   100% CPU); one level at a time, the failing level is named;
 * - an empty folder is used as it is;
 * - a folder holding an earlier run (its `run.json` has schema gradlab/run@1) is cleaned: the
 *   earlier run's files and `probes/` reports are removed, so no stale report from a run with
 *   other probes is left beside the new ones; any other file is kept;
 * - any other non-empty folder, or a file, is refused.
 * Returns the absolute path.
 */
export function prepareOutDir(dir: string, cwd: string): string {
  const root = resolve(cwd, dir);
  const flag = `--out "${dir}"`;
  const kind = isDir(root);
  if (kind === false) throw failure(`${flag} is a file; --out needs a folder.`, 'Choose a new folder name.');
  if (kind === undefined) createFolder(root, flag);
  else {
    const entries = readdirSync(root);
    if (entries.length > 0) {
      if (!isEarlierRun(root)) {
        throw failure(
          `${flag} is a folder that is not empty and holds no earlier gradlab run (no run.json): refusing to mix outputs with its ${entries.length} file${entries.length === 1 ? '' : 's'}.`,
          'Choose a new or empty folder; a folder written by an earlier "gradlab run" is cleaned and reused.',
        );
      }
      removeEarlierRun(root);
    }
  }
  try {
    accessSync(root, constants.W_OK);
  } catch (error) {
    throw failure(`${flag} is not writable (${code(error)}).`, 'Choose a folder you can write to.');
  }
  return root;
}

function createFolder(root: string, flag: string): void {
  const missing: string[] = [];
  let at = root;
  while (isDir(at) === undefined && dirname(at) !== at) {
    missing.unshift(at);
    at = dirname(at);
  }
  if (isDir(at) === false) throw failure(`${flag}: "${at}" is a file, so no folder can be created inside it.`);
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      throw failure(
        `${flag}: cannot create the folder "${path}" (${code(error)}) although "${dirname(path)}" exists.`,
        code(error) === 'ENOENT' || code(error) === 'EPERM'
          ? `"${dirname(path)}" does not accept new folders (a virtual file system such as /proc or /sys?); choose a folder elsewhere.`
          : 'Choose a folder you can write to.',
      );
    }
  }
}

function isEarlierRun(root: string): boolean {
  try {
    return (
      (JSON.parse(readFileSync(join(root, 'run.json'), 'utf8')) as { schema?: unknown }).schema === 'gradlab/run@1'
    );
  } catch {
    return false;
  }
}

function removeEarlierRun(root: string): void {
  try {
    for (const name of RUN_FILES) rmSync(join(root, name), { force: true });
    const probes = join(root, 'probes');
    if (isDir(probes)) {
      for (const name of readdirSync(probes)) {
        if (/\.(json|csv)$/.test(name)) rmSync(join(probes, name), { force: true });
      }
    }
  } catch (error) {
    throw failure(`Cannot remove the earlier run's files from "${root}" (${code(error)}).`);
  }
}
