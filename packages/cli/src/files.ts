import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { failure, isNodeError } from './errors.ts';

/** Read a text file named on the command line; a missing or unreadable file is one clear message. */
export function readTextFile(file: string, cwd: string, what: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') throw failure(`Cannot read ${what} "${file}": no such file.`);
    if (isNodeError(error) && error.code === 'EISDIR') throw failure(`Cannot read ${what} "${file}": it is a folder.`);
    throw failure(`Cannot read ${what} "${file}": ${error instanceof Error ? error.message : String(error)}.`);
  }
}

/** Parse a JSON file; syntax errors keep V8's position (line and column). */
export function readJsonFile(file: string, cwd: string, what: string): unknown {
  // Windows editors save UTF-8 with a byte-order mark; JSON.parse rejects it as an invisible token.
  const text = readTextFile(file, cwd, what).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw failure(
      `${file} is not valid JSON: ${(error as Error).message}.`,
      'Specs are plain JSON: no comments, no trailing commas.',
    );
  }
}
