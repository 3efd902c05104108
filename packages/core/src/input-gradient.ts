import { gradlabError } from './errors/index.ts';
import { getLoss, type LossId } from './losses.ts';
import type { Model } from './model.ts';

/**
 * ∂L/∂x, the gradient of a loss with respect to the model's input, for `rows` rows of `x`
 * (row-major, rows × inputSize; sequences step-major as in a Dataset). `of` is either a loss and
 * its targets (`y`, rows × outputs) or ∂L/∂output itself (`dOut`, e.g. ones to differentiate the
 * summed output). The forward pass runs in evaluation mode (batch norm uses its running
 * statistics, which stay unchanged). It overwrites the model's parameter gradients (`model.grads`)
 * and layer buffers, so call it between training steps, not inside a probe. Returns a new array.
 */
export function inputGradient(
  model: Model,
  x: Float64Array,
  rows: number,
  of: { loss: LossId; y: Float64Array } | { dOut: Float64Array },
): Float64Array {
  const cols = model.outputSize;
  if (!Number.isInteger(rows) || rows < 1 || x.length < rows * model.inputSize) {
    throw gradlabError('DataShapeError', [`x has ${x.length} values; rows × inputSize is ${rows * model.inputSize}`]);
  }
  const out = model.forward(x, rows, false);
  let dOut: Float64Array;
  if ('dOut' in of) dOut = of.dOut;
  else {
    if (of.y.length < rows * cols) {
      throw gradlabError('DataShapeError', [`y has ${of.y.length} values; rows × outputs is ${rows * cols}`]);
    }
    dOut = new Float64Array(rows * cols);
    getLoss(of.loss).gradient(out, of.y, rows, cols, dOut);
  }
  if (dOut.length < rows * cols) {
    throw gradlabError('DataShapeError', [`∂L/∂output has ${dOut.length} values; rows × outputs is ${rows * cols}`]);
  }
  model.zeroGrads();
  return Float64Array.from(model.backward(dOut, rows, true)!.subarray(0, rows * model.inputSize));
}
