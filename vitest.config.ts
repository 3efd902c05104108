import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

// One Vitest process for the whole repo. Every workspace package with a `test/` folder is a
// project named after the package; `extends: true` gives each the `@gradlab/source` export
// condition, so tests import siblings' TypeScript sources and need no build first
// (docs/decisions/0006-source-condition-tests.md). One JSON report gives CI its total line.
const groups = [
  'packages',
  'packages/activations',
  'packages/initializers',
  'packages/clipping',
  'packages/regularizers',
  'tools',
  'apps',
];
const projects = groups.flatMap((group) =>
  readdirSync(group, { withFileTypes: true })
    .filter(
      (d) =>
        d.isDirectory() && existsSync(join(group, d.name, 'package.json')) && existsSync(join(group, d.name, 'test')),
    )
    .map((d) => {
      const root = join(group, d.name);
      const { name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
      // test/fixtures/ holds sample packages that tools check; their tests are data, not tests to run.
      return {
        extends: true as const,
        test: { name, root, include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/fixtures/**'] },
      };
    }),
);

export default defineConfig({
  resolve: { conditions: ['@gradlab/source'] },
  ssr: { resolve: { conditions: ['@gradlab/source'] } },
  test: {
    projects,
    // Vitest's 5 s default fails tests that spawn a process or scaffold a package whenever the two
    // cores are busy (seen at load 30+); 30 s still fails a hung test quickly.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
