// @ts-check

import { fileURLToPath } from 'node:url';
import { unified } from '@astrojs/markdown-remark';
import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
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

export default defineConfig({
  site: 'http://localhost:4321',
  markdown: {
    // Astro 7's default processor (Sätteri) runs no remark/rehype plugins; the unified one does and MDX
    // inherits it. $…$ and $$…$$ become KaTeX HTML at build time: no KaTeX JavaScript reaches the browser.
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex, rehypeFocusableDisplayMath] }),
  },
  integrations: [mdx()],
  vite: {
    // Module workers; 'es' also allows code-splitting inside the worker.
    // The worker drops the plugins' documentation texts, which only the build-time pages render (0043).
    worker: { format: 'es', plugins: () => [workerWithoutDefaultPreset, stripPluginDocs] },
    plugins: [katexWoff2Only],
    build: { assetsInlineLimit: 0 },
  },
});
