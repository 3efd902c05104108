/**
 * @gradlab/core: a small, exact float64 engine for dense, batch-norm, residual and recurrent
 * networks, with explicit registries, seeded randomness, JSON specs and a trace API for probes.
 */
export { withBuffers } from './buffers.ts';
export { linear, zeros } from './builtins.ts';
export { DATASETS, type DataShape, type Dataset, type DatasetDefinition, type Task } from './datasets.ts';
export {
  ErrorData,
  type ErrorName,
  ExperimentSpecError,
  GradlabError,
  gradlabError,
  type SpecIssue,
  type SpecIssueCode,
  SpecIssueCodes,
} from './errors/index.ts';
export { inputGradient } from './input-gradient.ts';
export {
  activeKernels,
  engineBuffer,
  type KernelMode,
  type KernelStatus,
  kernelStatus,
  useKernels,
} from './kernels.ts';
export type { EngineClock, Layer, LayerView } from './layers/layer.ts';
export { accuracy, getLoss, LOSS_IDS, type Loss, type LossId } from './losses.ts';
export { gemmAdd, gemmNT, gemmTNAdd, norm2 } from './matrix.ts';
export { buildModel, type Model } from './model.ts';
export { adam, adamw, momentum, OPTIMIZERS, type Optimizer, type OptimizerDefinition, sgd } from './optimizers.ts';
export { createRegistry, type InstanceOf, type Pluggable, type Registry } from './registry.ts';
export { createRng, type SeededRng } from './rng.ts';
export { loadModel, type SavedModel, saveModel } from './serialize.ts';
export {
  createSession,
  type EpochRecord,
  type Progress,
  type RunResult,
  type Session,
  type SessionOptions,
  type StepResult,
  type StopReason,
  train,
} from './session.ts';
export { estimateMemory, type MemoryEstimate } from './spec/memory.ts';
export { experimentJsonSchema } from './spec/schema.ts';
export * from './spec/types.ts';
export { validateExperiment } from './spec/validate.ts';
export { engineRegion, instantiateSimd, type WasmApi } from './wasm/kernels.ts';
export type { InitialWeights } from './weights.ts';

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    linear: {};
  }
  interface InitializerRegistry {
    zeros: {};
  }
}
