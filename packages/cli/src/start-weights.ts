import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadModel, type Model, type Registry } from '@gradlab/core';
import { GradlabError } from '@gradlab/plugin-api';
import { CliError, failure } from './errors.ts';
import { readJsonFile } from './files.ts';

/** What `run --weights` writes into its messages: where good weights come from. */
const SOURCE_HINT = 'Pass the model.json that "gradlab run SPEC --out DIR" wrote (DIR/model.json, or just DIR).';

/**
 * `gradlab run --weights FILE`: the model of an earlier run (`model.json`, written by `--out`), to
 * start training from instead of the initializers' draw (a two-phase run: page 5's "kill, then
 * revive"). A folder means its `model.json`. The file's own spec only has to build the same
 * tensors (names and sizes); activations, initializers and training settings may differ.
 */
export function readStartWeights(file: string, cwd: string, registry: Registry): Model {
  const path = isFolder(resolve(cwd, file)) ? join(file, 'model.json') : file;
  let saved: Record<string, unknown> | null;
  try {
    saved = readJsonFile(path, cwd, '--weights') as Record<string, unknown> | null;
  } catch (error) {
    throw error instanceof CliError && !error.hint ? failure(error.message, SOURCE_HINT) : error;
  }
  if (!saved || typeof saved !== 'object' || Array.isArray(saved) || saved.format !== 'gradlab-model') {
    const looksLikeSpec = saved && typeof saved === 'object' && 'model' in saved && 'train' in saved;
    throw failure(
      `--weights "${path}" is not a saved model${looksLikeSpec ? ': it is an experiment spec' : ' (no "format": "gradlab-model")'}.`,
      SOURCE_HINT,
    );
  }
  try {
    // Non-finite weights are let through here so that applyWeights names the first one (tensor and index).
    return loadModel(saved, { registry, allowNonFinite: true }).model;
  } catch (error) {
    if (error instanceof GradlabError) throw failure(`--weights "${path}": ${error.message}`, SOURCE_HINT);
    throw error;
  }
}

/** createSession()'s WeightsError said for the command line: which file, which spec, and what to change. */
export function rewordWeightsError(error: unknown, weightsFile: string, specFile: string): unknown {
  if (!(error instanceof GradlabError) || error.name !== 'WeightsError') return error;
  const problem = error.message.replace(/^The weights passed to createSession do not fit the model: /, '');
  const diverged = /not a finite number/.test(problem);
  return failure(
    diverged
      ? `--weights "${weightsFile}" holds a value that is not a number: ${problem.replace(/\.$/, '')}.`
      : `--weights "${weightsFile}" does not fit ${specFile}: ${problem.replace(/\.$/, '')}.`,
    diverged
      ? 'The run that wrote these weights diverged (NaN or Infinity); continue from a run that ended with finite weights, e.g. with a lower learning rate or clipping.'
      : `The weights must come from a spec with the same layers (type, units and order) and the same data shape; only activations, initializers and training settings may differ. Check "model.layers" and "data" in ${specFile} against the spec of the run that wrote them.`,
  );
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
