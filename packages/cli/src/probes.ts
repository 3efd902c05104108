import type { AnyDefinition } from '@gradlab/plugin-api';
import probes, {
  describeChange,
  FINDINGS,
  type FindingInfo,
  type ProbeReport,
  REPORT_SCHEMA_ID,
  toCSV,
} from '@gradlab/probes';
import { historyReportToCsv } from './format/report-csv.ts';

export type { FindingInfo };
export { describeChange };

export function probeDefinitions(): readonly AnyDefinition[] {
  return probes as unknown as readonly AnyDefinition[];
}

/** The findings catalog of @gradlab/probes, by code. */
export function findingsCatalog(): Readonly<Record<string, FindingInfo>> {
  return FINDINGS;
}

const isProbeReport = (r: unknown): r is ProbeReport =>
  r !== null && typeof r === 'object' && (r as { schema?: unknown }).schema === REPORT_SCHEMA_ID;

/** CSV of a canonical probe report (probes' toCSV) or of a training probe's history. */
export function reportToCsv(report: unknown): string | undefined {
  return isProbeReport(report) ? toCSV(report) : historyReportToCsv(report);
}
