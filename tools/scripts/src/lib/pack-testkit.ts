/**
 * pack-test's part for @gradlab/testkit: its peer (vitest) comes from the workspace, because an offline
 * install cannot fetch it, and its suites run under that vitest in the scratch project against
 * installed plugins (they must pass) and a deliberately broken one (it must fail).
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './proc.ts';

/**
 * Peers that a published package may expect its user to have and that cannot be installed offline: they
 * are linked from the workspace's pinned install (the version our own tests run with).
 */
export const WORKSPACE_PEERS = new Set(['vitest']);
/** Packages that only run in Node (inside vitest), so their declarations may use Node's types. */
export const NODE_ONLY = new Set(['@gradlab/testkit']);

export function workspacePackageDir(root: string, name: string): string | undefined {
  const dir = join(root, 'node_modules', name);
  return existsSync(join(dir, 'package.json')) ? realpathSync(dir) : undefined;
}

/** A conformance test file of a user's plugin package, as the docs tell them to write it. */
const TESTKIT_SUITES = `// Written by gradlab-scripts pack-test.
import relu from '@gradlab/activation-relu';
import he from '@gradlab/initializer-he';
import globalNorm from '@gradlab/clipping-global-norm';
import l2 from '@gradlab/regularizer-l2';
import { describeActivation, describeClipping, describeInitializer, describeRegularizer } from '@gradlab/testkit';

describeActivation(relu);
describeInitializer(he);
describeClipping(globalNorm);
describeRegularizer(l2);
`;

/** The same suite on ReLU with a derivative wrong by a factor of two (2 on the active side): it must fail. */
const TESTKIT_BROKEN = `// Written by gradlab-scripts pack-test.
import relu from '@gradlab/activation-relu';
import { defineActivation } from '@gradlab/plugin-api';
import { describeActivation } from '@gradlab/testkit';

const { kind, ...meta } = relu.meta;
describeActivation(
  defineActivation({
    meta: { ...meta, id: 'broken-relu' },
    options: {},
    create: () => ({ forward: (x) => Math.max(x, 0), derivative: (x) => (x > 0 ? 2 : 0) }),
  }),
);
`;

/** Vitest's JSON report of one run in the scratch project: passed and failed test counts. */
function runVitest(app: string, vitest: string, file: string): { passed: number; failed: number; output: string } {
  const report = join(app, `${file}.json`);
  const r = runCommand(process.execPath, [vitest, 'run', file, '--reporter=json', `--outputFile=${report}`], {
    cwd: app,
  });
  const output = `${r.stdout}${r.stderr}`;
  if (!existsSync(report)) return { passed: 0, failed: 0, output };
  const json = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number };
  return { passed: json.numPassedTests, failed: json.numFailedTests, output };
}

/** The installed testkit's suites pass on installed plugins and fail on a broken one. */
export function testTestkit(app: string, linkedPeers: ReadonlyMap<string, string>, started: number): boolean {
  const vitestDir = linkedPeers.get('vitest');
  if (!vitestDir) {
    console.error('pack-test: @gradlab/testkit needs vitest, and the workspace has none installed (pnpm install)');
    return false;
  }
  const vitest = join(vitestDir, 'vitest.mjs');
  writeFileSync(join(app, 'vitest.config.mjs'), 'export default { test: { include: ["*.test.mjs"] } };\n');
  writeFileSync(join(app, 'conformance.test.mjs'), TESTKIT_SUITES);
  writeFileSync(join(app, 'broken.test.mjs'), TESTKIT_BROKEN);
  const good = runVitest(app, vitest, 'conformance.test.mjs');
  if (good.failed > 0 || good.passed === 0) {
    console.error(
      `pack-test: the installed @gradlab/testkit suites did not pass on installed plugins:\n${good.output}`,
    );
    return false;
  }
  const bad = runVitest(app, vitest, 'broken.test.mjs');
  if (bad.failed === 0) {
    console.error(
      `pack-test: the installed @gradlab/testkit passed a plugin whose derivative is wrong by 2×:\n${bad.output}`,
    );
    return false;
  }
  console.log(
    `pack-test: installed @gradlab/testkit under vitest ${readVersion(vitestDir)}: ${good.passed} checks pass on 4 installed plugins, and ${bad.failed} fail on a broken one (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return true;
}

const readVersion = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
