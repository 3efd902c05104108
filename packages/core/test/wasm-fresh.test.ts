import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble, generatedSource } from '../wasm/assemble.ts';
import { generateWat } from '../wasm/generate.ts';

/**
 * The committed kernels.wat and src/wasm/module.generated.ts must be what the generator and the
 * pinned wabt produce now; otherwise someone edited one without the other.
 * Fix: `pnpm --filter @gradlab/core gen:wasm` and commit both files.
 */
describe('generated wasm is fresh', () => {
  it('wasm/kernels.wat matches wasm/generate.ts', () => {
    expect(readFileSync(new URL('../wasm/kernels.wat', import.meta.url), 'utf8')).toBe(generateWat());
  });
  it('src/wasm/module.generated.ts holds the assembled kernels.wat', async () => {
    const source = generatedSource(await assemble(generateWat()));
    expect(readFileSync(new URL('../src/wasm/module.generated.ts', import.meta.url), 'utf8')).toBe(source);
  });
});
