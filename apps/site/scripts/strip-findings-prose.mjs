// A Vite plugin for the lab worker's bundle only (astro.config.mjs), beside strip-plugin-docs.mjs: the
// findings catalog of @gradlab/probes (FINDINGS) explains every code in prose (`meaning`, `causes`, and
// each fix's `text`), which `gradlab explain` and the reference pages show. In the worker only `doctor()`
// reads the catalog, and it reads each fix's `changes` only; the prose was ~4 KB gzip of the doctor's
// chunk (page 12), so those properties (and the titles, probe ids and `try` ids, also for people) are
// dropped here. Finding messages and hints, which the learner sees, are written by the probes
// themselves and stay (decision 0039).

import { applyEdits, dropProperty, keyName, nodes } from './estree-edits.mjs';

const PROSE = new Set(['title', 'emittedBy', 'meaning', 'causes', 'text', 'try']);

/** [start, end, ''] of every prose property of the catalog module, with its trailing comma. */
export function proseEdits(program, code) {
  const edits = [];
  for (const n of nodes(program))
    if (n.type === 'Property' && !n.computed && PROSE.has(keyName(n))) edits.push(dropProperty(n, code));
  return edits;
}

/** The catalog module of @gradlab/probes, from its sources or its build. */
export const FINDINGS_MODULE = /[\\/]probes[\\/](src|dist)[\\/]findings\.[cm]?[jt]s$/;

export const stripFindingsProse = {
  name: 'gradlab:strip-findings-prose',
  /** @param {string} code @param {string} id */
  transform(code, id) {
    if (!FINDINGS_MODULE.test(id)) return undefined;
    // @ts-expect-error: the Rollup/Rolldown plugin context
    const edits = proseEdits(this.parse(code), code);
    return edits.length ? { code: applyEdits(code, edits), map: null } : undefined;
  },
};
