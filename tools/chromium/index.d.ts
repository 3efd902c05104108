import type { Browser } from 'playwright-core';

/** The Chromium executable: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export declare const CHROMIUM: string;
/** The launch flags every browser test and bench uses (headless, offline-quiet). */
export declare const CHROMIUM_ARGS: readonly string[];
/** Launches Debian's Chromium with `CHROMIUM_ARGS` plus `args`; throws, saying how to install it, when it is missing. */
export declare function launchChromium(options?: { readonly args?: readonly string[] }): Promise<Browser>;
