// A Vite plugin for the lab worker's bundle only (astro.config.mjs): plugin definitions carry their
// documentation in `meta` (title, summary, formulas, references, tags, properties…), which the reference
// pages render at build time and the engine never reads (it reads `meta.id`, `meta.aliases` and
// `meta.kinks`). In the worker those texts were ~10 % of its gzip bytes, so this drops them from the
// `meta` object literal of every `define<Kind>({ meta: { … } })` call. Same code runs; only text the
// worker never shows is gone (decision 0043). `title` and `summary` are required by plugin-api's
// definition-time checks, so they become a short placeholder that passes them.

import { applyEdits, dropProperty, keyName, nodes } from './estree-edits.mjs';

/** The plugin-api definers whose first argument holds `meta`. */
const DEFINERS = new Set([
  'defineActivation',
  'defineInitializer',
  'defineClipping',
  'defineRegularizer',
  'defineProbe',
]);
/** Documentation-only meta keys (plugin-api types.ts); anything else (id, kind, aliases, kinks…) stays. */
export const DOC_KEYS = new Set([
  'formula',
  'references',
  'tags',
  'range',
  'properties',
  'recommendedInitializer',
  'family',
  'pairsWith',
  'preservesDirection',
]);
const PLACEHOLDER = { title: '"-"', summary: '"Documented on the site\'s reference pages."' };
const OPTION_HINT = '"See the option on the site\'s reference page."';

/**
 * The edits for one module: [start, end, replacement] for each dropped or replaced meta property.
 * `program` is its ESTree AST (oxc or acorn: nodes carry `start`/`end` offsets).
 */
export function docEdits(program, code) {
  const edits = [];
  for (const n of nodes(program)) {
    if (n.type !== 'CallExpression' || n.callee?.type !== 'Identifier' || !DEFINERS.has(n.callee.name)) continue;
    const arg = n.arguments[0];
    if (arg?.type !== 'ObjectExpression') continue;
    const meta = arg.properties.find((p) => p.type === 'Property' && keyName(p) === 'meta');
    if (meta?.value.type !== 'ObjectExpression') continue;
    for (const p of meta.value.properties) {
      if (p.type !== 'Property' || p.computed) continue;
      const key = keyName(p);
      if (key === 'title' || key === 'summary') edits.push([p.value.start, p.value.end, PLACEHOLDER[key]]);
      else if (DOC_KEYS.has(key)) edits.push(dropProperty(p, code));
    }
  }
  // Core's built-in tables (optimizers, data sets) are plain `{ id, title, summary?, formula?, … }`
  // literals, not define* calls: the CLI's list and the reference pages show those texts, the engine
  // reads their ids, options and functions only. Same treatment as a plugin's meta.
  for (const n of nodes(program)) {
    if (n.type !== 'ObjectExpression' || edits.some(([a, b]) => n.start < b && a < n.end)) continue; // a meta done above
    const props = n.properties.filter((p) => p.type === 'Property' && !p.computed);
    const keys = new Set(props.map(keyName));
    if (!keys.has('id') || !keys.has('title') || !(keys.has('summary') || keys.has('formula'))) continue;
    for (const p of props) {
      const key = keyName(p);
      if (key === 'title' || key === 'summary') edits.push([p.value.start, p.value.end, PLACEHOLDER[key]]);
      else if (key === 'formula') edits.push(dropProperty(p, code));
    }
  }
  // Option specs ({ type, default, …, description }) in the same module: the description documents the
  // option on the reference pages and in `gradlab list`; in the worker it is only the hint of an
  // InvalidPluginOption error, and plugin-api requires it to be non-empty, so a short pointer replaces it.
  const dropped = [...edits];
  for (const n of nodes(program)) {
    if (n.type !== 'ObjectExpression' || dropped.some(([a, b]) => n.start >= a && n.end <= b)) continue;
    const props = n.properties.filter((p) => p.type === 'Property' && !p.computed);
    if (!props.some((p) => keyName(p) === 'type')) continue;
    const d = props.find((p) => keyName(p) === 'description');
    if (d && (d.value.type === 'Literal' || d.value.type === 'TemplateLiteral'))
      edits.push([d.value.start, d.value.end, OPTION_HINT]);
  }
  return edits;
}

export const stripPluginDocs = {
  name: 'gradlab:strip-plugin-docs',
  /** @param {string} code @param {string} id */
  transform(code, id) {
    // Plugin modules, and the workspace packages' shared option specs (plugin-api's spectral options,
    // core's data set options), which carry descriptions outside any define call.
    const workspace = /[\\/]packages[\\/][^\\/]+[\\/]/.test(id) && code.includes('description');
    if (
      !/\.[cm]?[jt]s$/.test(id) ||
      !(workspace || /\bdefine(Activation|Initializer|Clipping|Regularizer|Probe)\(/.test(code))
    )
      return undefined;
    // @ts-expect-error: the Rollup/Rolldown plugin context
    const edits = docEdits(this.parse(code), code);
    return edits.length ? { code: applyEdits(code, edits), map: null } : undefined;
  },
};
