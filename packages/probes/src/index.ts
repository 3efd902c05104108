/**
 * @gradlab/probes: per-layer gradient norms, activation statistics, saturation, dead units,
 * update ratios, a NaN sentinel and clipping statistics; findings with fixes; the canonical
 * probe setup and mean-field predictions.
 *
 * ```ts
 * import { createRegistry } from '@gradlab/core';
 * import probes from '@gradlab/probes';
 * const registry = createRegistry().use(standard).use(probes);
 * ```
 */
import activationStats from './activation-stats.ts';
import clippingStats from './clipping-stats.ts';
import deadUnits from './dead-units.ts';
import gradNorms from './grad-norms.ts';
import lossTrend from './loss-trend.ts';
import nanWatch from './nan-watch.ts';
import saturation from './saturation.ts';
import symmetry from './symmetry.ts';
import updateRatio from './update-ratio.ts';

export type { ActivationStatsRecord, ActivationStatsReport, LayerMoments } from './activation-stats.ts';
export {
  CANONICAL_DEFAULTS,
  type CanonicalOptions,
  canonicalSpec,
  initializersWithGain,
  type OptimizerId,
  runProbe,
} from './canonical.ts';
export {
  assertProbeOptions,
  checkProbeOptions,
  type ProbeOptionIssue,
  standardRegistry,
} from './canonical-options.ts';
export type { ClippingStatsRecord, ClippingStatsReport, TransformSummary } from './clipping-stats.ts';
export type { DeadUnitsRecord, DeadUnitsReport } from './dead-units.ts';
export {
  applicableFixes,
  contextHint,
  type Diagnosis,
  type DoctorFix,
  type DoctorMetrics,
  type DoctorOptions,
  type DoctorReport,
  diagnose,
  doctor,
} from './doctor.ts';
export { FINDINGS, type FindingFix, type FindingInfo } from './findings.ts';
export {
  applyChange,
  applyToOptions,
  applyToSpec,
  describeChange,
  type Setup,
  type SetupChange,
  type Syntax,
} from './fixes.ts';
export {
  GRADIENT_CHECK_BANDS,
  GRADIENT_CHECK_ENTRIES,
  GRADIENT_CHECK_H,
  type GradientCheckOptions,
  type GradientCheckReport,
  gradientCheck,
  gradientCheckBand,
  gradientCheckSpec,
} from './gradient-check.ts';
export { HINTS, MAX_DERIVATIVE, ONE_SIDED, SATURATING } from './hints.ts';
export { type LayerInfo, ratioSpan } from './layer-info.ts';
export type { LossTrendRecord, LossTrendReport } from './loss-trend.ts';
export type { NanPhase, NanSource, NanWatchReport } from './nan-watch.ts';
export type { GradNormsRecord, GradNormsReport } from './norms.ts';
export { type GaussRule, gaussHermite, gaussianExpectation, gaussLegendre, gaussRule } from './quadrature.ts';
export {
  type ApplicableTheory,
  type InapplicableTheory,
  type ProbeReport,
  type ProbeReportLayer,
  REPORT_SCHEMA_ID,
  type TheoryMeasured,
  type TheoryReport,
  toCSV,
} from './report.ts';
export type { Num } from './report-numbers.ts';
export { reportJsonSchema } from './report-schema.ts';
export {
  createProbeRunner,
  type ProbeRunner,
  type ProbeRunnerOptions,
  type ProbeRunnerStats,
} from './runner.ts';
export { type SaturationRecord, type SaturationReport, VALUE_BANDS } from './saturation.ts';
export { type Histogram, histogram, moments } from './stats.ts';
export type { SymmetryReport } from './symmetry.ts';
export { type MeanFieldActivation, type MeanFieldInput, type MeanFieldResult, meanField } from './theory.ts';
export type { UpdateRatioRecord, UpdateRatioReport } from './update-ratio.ts';
export { frobenius } from './vector-norms.ts';
export { useSimdPasses } from './wasm/simd-passes.ts';
export { activationStats, clippingStats, deadUnits, gradNorms, lossTrend, nanWatch, saturation, symmetry, updateRatio };

/** Every probe, for `registry.use(probes)`. */
const probes = [
  gradNorms,
  activationStats,
  saturation,
  deadUnits,
  updateRatio,
  nanWatch,
  clippingStats,
  lossTrend,
  symmetry,
] as const;

export default probes;
