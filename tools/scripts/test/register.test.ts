import { describe, expect, it } from 'vitest';
import { variableName } from '../src/lib/names.ts';
import { hasTypeReference, insertEntry, insertImport, insertTypeReference, pluginPackageJson } from '../src/new.ts';

const PRESET = `import elu from '@gradlab/activation-elu';
import tanh from '@gradlab/activation-tanh';
import he from '@gradlab/initializer-he';

// biome-ignore format: one plugin per line
export const activations = [
  elu,
  tanh,
] as const;
export const initializers = [he] as const;
`;

describe('registering a new plugin in the preset or the site', () => {
  it('inserts the import in module order', () => {
    const text = insertImport(PRESET, "import relu from '@gradlab/activation-relu';", '@gradlab/activation-relu');
    expect(text.split('\n').slice(0, 4)).toEqual([
      "import elu from '@gradlab/activation-elu';",
      "import relu from '@gradlab/activation-relu';",
      "import tanh from '@gradlab/activation-tanh';",
      "import he from '@gradlab/initializer-he';",
    ]);
    expect(insertImport(text, "import relu from '@gradlab/activation-relu';", '@gradlab/activation-relu')).toBe(text);
  });

  it('adds the preset type reference sorted, before the imports when there is none yet', () => {
    const first = insertTypeReference(PRESET, '@gradlab/activation-tanh');
    expect(first.split('\n')[0]).toBe('/// <reference types="@gradlab/activation-tanh" preserve="true" />');
    expect(first.split('\n')[1]).toBe("import elu from '@gradlab/activation-elu';");
    const second = insertTypeReference(first, '@gradlab/activation-elu');
    expect(second.split('\n').slice(0, 2)).toEqual([
      '/// <reference types="@gradlab/activation-elu" preserve="true" />',
      '/// <reference types="@gradlab/activation-tanh" preserve="true" />',
    ]);
    expect(insertTypeReference(second, '@gradlab/activation-elu')).toBe(second);
    expect(hasTypeReference(second, '@gradlab/activation-elu')).toBe(true);
    expect(hasTypeReference(second, '@gradlab/initializer-he')).toBe(false);
  });

  it('inserts the entry sorted, one per line, into multi-line and single-line arrays', () => {
    expect(insertEntry(PRESET, 'activations', 'relu')).toContain(
      'export const activations = [\n  elu,\n  relu,\n  tanh,\n] as const;',
    );
    expect(insertEntry(PRESET, 'initializers', 'glorot')).toContain(
      'export const initializers = [\n  glorot,\n  he,\n] as const;',
    );
  });

  it('leaves an array alone when the entry is there, and gives up on arrays that are not plain identifiers', () => {
    expect(insertEntry(PRESET, 'activations', 'elu')).toBe(PRESET);
    expect(insertEntry(PRESET, 'regularizers', 'l2')).toBeUndefined();
    expect(insertEntry('export const plugins = [{ id: 1 }];', 'plugins', 'relu')).toBeUndefined();
  });

  it('names variables after the id, suffixing reserved words with the kind', () => {
    expect(variableName('activation', 'leaky-relu')).toBe('leakyRelu');
    expect(variableName('regularizer', 'l2')).toBe('l2');
    expect(variableName('initializer', 'default')).toBe('defaultInitializer');
  });

  it('writes package.json like every plugin package', () => {
    const pkg = pluginPackageJson(
      'clipping',
      'global-norm',
      'Clip by global norm for gradlab: X.',
      'git+https://x.git',
    );
    expect(Object.keys(pkg)).toEqual([
      'name',
      'version',
      'description',
      'type',
      'sideEffects',
      'exports',
      'publishConfig',
      'files',
      'keywords',
      'gradlab',
      'license',
      'repository',
      'engines',
      'scripts',
      'peerDependencies',
      'devDependencies',
    ]);
    expect(pkg.name).toBe('@gradlab/clipping-global-norm');
    expect(pkg.repository.directory).toBe('packages/clipping/global-norm');
    expect(pkg.keywords).toEqual(['gradlab', 'gradlab-plugin', 'gradlab-clipping']);
    expect(pkg.exports['.']).toEqual({
      '@gradlab/source': './src/index.ts',
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    expect(pkg.publishConfig.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  });
});
