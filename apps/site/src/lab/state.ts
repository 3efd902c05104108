/**
 * Controls as data and the URL state codec. Every control of every widget lives in the query string
 * as `<widget>.<control>=value`, so a link reproduces what the reader saw. Foreign URLs are validated:
 * a bad value falls back (clamped, snapped or the preset) and yields a notice, never an exception.
 */
import type { Setting } from './protocol.ts';

/** The control applies only while another control holds one of `values` (e.g. α only for activations with an alpha option). */
export interface AppliesWhen {
  readonly control: string;
  readonly values: readonly string[];
}

export type ControlDef =
  | {
      readonly kind: 'range';
      readonly name: string;
      readonly label: string;
      readonly min: number;
      readonly max: number;
      readonly step: number;
      readonly integer?: boolean;
      readonly help?: string;
      readonly appliesWhen?: AppliesWhen;
    }
  | {
      readonly kind: 'select';
      readonly name: string;
      readonly label: string;
      /** Values are strings, or numbers when `numeric`. */
      readonly options: readonly { readonly value: string; readonly label: string }[];
      readonly numeric?: boolean;
      readonly help?: string;
      readonly appliesWhen?: AppliesWhen;
    };

/** Whether control `c` applies to setting `s` (controls without `appliesWhen` always do). */
export function applies(c: ControlDef, s: Setting): boolean {
  return !c.appliesWhen || c.appliesWhen.values.includes(String(s[c.appliesWhen.control]));
}

/**
 * The setting a job receives: the values of controls that do not apply to the current choice are
 * left out (α with ReLU, a gain with an initializer that has none), so a free lab never sends the
 * engine an option the chosen plugin would refuse. The URL keeps them, so switching back restores them.
 */
export function applicableSetting(s: Setting, controls: readonly ControlDef[]): Setting {
  const out: Record<string, number | string> = { ...s };
  for (const c of controls) if (!applies(c, s)) delete out[c.name];
  return out;
}

/** Controls marked as view controls change what is drawn, not what is computed (no worker request). */
export interface WidgetControls {
  readonly controls: readonly ControlDef[];
  readonly viewControls?: readonly string[];
}

const decimals = (step: number) => (String(step).split('.')[1] ?? '').length;

/** Snap to the control's grid (min + k·step) and clamp; decimal rounding keeps 0.1 + 0.2 from leaking. */
export function snap(c: Extract<ControlDef, { kind: 'range' }>, v: number): number {
  const k = Math.round((v - c.min) / c.step);
  const snapped = Number((c.min + k * c.step).toFixed(decimals(c.step)));
  return Math.min(c.max, Math.max(c.min, snapped));
}

export function formatValue(c: ControlDef, v: number | string): string {
  return c.kind === 'range' ? (c.integer ? String(v) : Number(v).toFixed(decimals(c.step))) : String(v);
}

/** Reads `prefix.name` for every control; returns the setting and a notice per rejected value. */
export function parseState(
  params: URLSearchParams,
  prefix: string,
  controls: readonly ControlDef[],
  preset: Setting,
): { setting: Record<string, number | string>; notices: string[] } {
  const setting: Record<string, number | string> = { ...preset };
  const notices: string[] = [];
  for (const c of controls) {
    const key = `${prefix}.${c.name}`;
    const raw = params.get(key);
    if (raw === null) continue;
    const fallback = preset[c.name];
    if (c.kind === 'range') {
      const v = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(v)) {
        notices.push(`${key}=${JSON.stringify(raw)} is not a number; using ${fallback}.`);
        continue;
      }
      const s = snap(c, c.integer ? Math.round(v) : v);
      if (s !== v) notices.push(`${key}=${raw} is outside ${c.min}–${c.max} or off its step ${c.step}; using ${s}.`);
      setting[c.name] = s;
    } else {
      const hit = c.options.find((o) => o.value === raw);
      if (!hit) {
        const allowed = c.options.map((o) => o.value).join(', ');
        notices.push(`${key}=${JSON.stringify(raw)} is not one of ${allowed}; using ${fallback}.`);
        continue;
      }
      setting[c.name] = c.numeric ? Number(hit.value) : hit.value;
    }
  }
  return { setting, notices };
}

/** Writes every control of a widget into `params` (other widgets' and foreign keys are kept). */
export function writeState(params: URLSearchParams, prefix: string, controls: readonly ControlDef[], s: Setting) {
  for (const c of controls) params.set(`${prefix}.${c.name}`, String(s[c.name]));
}

/** Removes a widget's keys (reset). */
export function clearState(params: URLSearchParams, prefix: string, controls: readonly ControlDef[]) {
  for (const c of controls) params.delete(`${prefix}.${c.name}`);
}
