// @ts-check

import { fileURLToPath } from 'node:url';
import { unified } from '@astrojs/markdown-remark';
import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import { stripFindingsProse } from './scripts/strip-findings-prose.mjs';
import { stripPluginDocs } from './scripts/strip-plugin-docs.mjs';

/**
 * Display math wider than a phone scrolls sideways; a scrollable region must be reachable by keyboard
 * (axe: scrollable-region-focusable), so every display gets tabindex="0".
 */
/** @type {import('@astrojs/markdown-remark').RehypePlugin} */
function rehypeFocusableDisplayMath() {
  /** @param {any} node hast */
  const walk = (node) => {
    if (node.type === 'element' && node.properties?.className?.includes('katex-display')) node.properties.tabIndex = 0;
    for (const child of node.children ?? []) walk(child);
  };
  return walk;
}

/** The first descendant element named `tag`, or undefined. */
/** @param {any} node @param {string} tag @returns {any} */
const find = (node, tag) => {
  if (node.type === 'element' && node.tagName === tag) return node;
  for (const c of node.children ?? []) {
    const hit = find(c, tag);
    if (hit) return hit;
  }
  return undefined;
};

/** Text of a hast node; a KaTeX formula reads as its TeX source (its MathML annotation). */
/** @param {any} node @returns {string} */
const textOf = (node) => {
  if (node.type === 'text') return node.value;
  if (node.type !== 'element') return '';
  if (node.properties?.className?.includes('katex')) {
    const tex = find(node, 'annotation');
    return tex ? tex.children.map(textOf).join('') : '';
  }
  return (node.children ?? []).map(textOf).join(' ');
};

/**
 * A prose table wider than a phone scrolls inside its own box instead of the page (axe:
 * horizontal overflow at 360 px): every Markdown table is wrapped in a keyboard-focusable region
 * labelled by its header cells. Tables an author already wrapped in a region are left alone.
 */
/** @type {import('@astrojs/markdown-remark').RehypePlugin} */
function rehypeScrollableTables() {
  /** @param {any} node @param {boolean} inRegion */
  const walk = (node, inRegion) => {
    const region =
      inRegion ||
      (node.type === 'mdxJsxFlowElement' &&
        node.attributes?.some((/** @type {any} */ a) => a.name === 'role' && a.value === 'region')) ||
      (node.type === 'element' && node.properties?.role === 'region');
    const children = node.children ?? [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child.type === 'element' && child.tagName === 'table' && !region) {
        const head = child.children.find((/** @type {any} */ c) => c.type === 'element' && c.tagName === 'thead');
        const headers = head ? textOf(head).replace(/\s+/g, ' ').trim() : '';
        children[i] = {
          type: 'element',
          tagName: 'div',
          properties: {
            className: ['prose-table'],
            tabIndex: 0,
            role: 'region',
            ariaLabel: `Table: ${headers.slice(0, 100) || 'values'}`,
            style: 'overflow-x: auto; max-width: 100%',
          },
          children: [child],
        };
      } else walk(child, region);
    }
  };
  return (tree) => walk(tree, false);
}

/**
 * KaTeX's CSS lists woff2, woff and ttf for every font; every browser the site supports reads woff2, so
 * the other two are dropped before Vite resolves the URLs (and they are never copied into dist/).
 */
const katexWoff2Only = {
  name: 'gradlab:katex-woff2-only',
  enforce: /** @type {const} */ ('pre'),
  /** @param {string} code @param {string} id */
  transform(code, id) {
    if (!/katex(\.min)?\.css/.test(id)) return undefined;
    return code.replace(/,\s*url\([^)]*\.(?:woff|ttf)\)\s*format\("(?:woff|truetype)"\)/g, '');
  },
};

/**
 * In the worker bundle only, @gradlab/preset-standard (the default registry of @gradlab/probes, which the
 * worker never uses because it always passes its own) resolves to a module that throws if reached.
 */
const workerWithoutDefaultPreset = {
  name: 'gradlab:worker-without-default-preset',
  enforce: /** @type {const} */ ('pre'),
  /** @param {string} id */
  resolveId(id) {
    return id === '@gradlab/preset-standard'
      ? fileURLToPath(new URL('./src/lab/no-default-registry.ts', import.meta.url))
      : undefined;
  },
};

/**
 * The workers take the probes' statistics in JavaScript only: @gradlab/probes' wasm passes
 * (`wasm/simd-passes`, from its sources or its build) resolve to src/lab/js-statistics.ts. Same bits
 * either way; the wasm glue and module would put page 8's worker past its 50 KB budget (decision 0053).
 */
const SIMD_PASSES = /[\\/]wasm[\\/]simd-passes\.[jt]s$/;
const workerJsStatistics = {
  name: 'gradlab:worker-js-statistics',
  enforce: /** @type {const} */ ('pre'),
  /** @param {string} id @param {string | undefined} importer */
  resolveId(id, importer) {
    return SIMD_PASSES.test(id) && importer && /[\\/]probes[\\/](src|dist)[\\/]/.test(importer)
      ? fileURLToPath(new URL('./src/lab/js-statistics.ts', import.meta.url))
      : undefined;
  },
};

export default defineConfig({
  site: 'http://localhost:4321',
  markdown: {
    // Astro 7's default processor (Sätteri) runs no remark/rehype plugins; the unified one does and MDX
    // inherits it. $…$ and $$…$$ become KaTeX HTML at build time: no KaTeX JavaScript reaches the browser.
    processor: unified({
      remarkPlugins: [remarkMath],
      rehypePlugins: [rehypeKatex, rehypeFocusableDisplayMath, rehypeScrollableTables],
    }),
  },
  integrations: [mdx()],
  vite: {
    // Module workers; 'es' also allows code-splitting inside the worker.
    // The worker drops the plugins' documentation texts, which only the build-time pages render (0043).
    worker: {
      format: 'es',
      plugins: () => [workerWithoutDefaultPreset, workerJsStatistics, stripPluginDocs, stripFindingsProse],
    },
    plugins: [katexWoff2Only],
    // GRADLAB_NO_MINIFY=1 keeps names in the bundles, for reading a CPU profile of the page or the worker.
    build: { assetsInlineLimit: 0, ...(process.env.GRADLAB_NO_MINIFY ? { minify: false } : {}) },
  },
});
