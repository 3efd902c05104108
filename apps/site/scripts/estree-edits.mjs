// Text edits on a module from its ESTree AST (oxc or acorn: nodes carry `start`/`end` offsets), shared by
// the worker's two stripping transforms (strip-plugin-docs.mjs, strip-findings-prose.mjs): both walk the
// AST, drop object-literal properties by name and splice the source, so they share one walk and one splice.

/** A property's key as a string (identifier or string literal). */
export const keyName = (prop) => (prop.key?.type === 'Identifier' ? prop.key.name : prop.key?.value);

/** Every AST node under `node` (a plain recursive walk; `parent` links are not followed). */
export function* nodes(node) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) yield* nodes(n);
    return;
  }
  if (typeof node.type === 'string') yield node;
  for (const [k, v] of Object.entries(node)) if (k !== 'parent' && v && typeof v === 'object') yield* nodes(v);
}

/** The edit [start, end, ''] that drops property `prop`, with its trailing comma so the literal stays valid. */
export function dropProperty(prop, code) {
  let end = prop.end;
  while (/\s/.test(code[end] ?? '')) end++;
  if (code[end] === ',') end++;
  return [prop.start, end, ''];
}

/** `code` with every [start, end, replacement] edit applied (edits must not overlap). */
export function applyEdits(code, edits) {
  let out = code;
  for (const [start, end, text] of [...edits].sort((a, b) => b[0] - a[0]))
    out = out.slice(0, start) + text + out.slice(end);
  return out;
}
