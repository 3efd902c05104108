import { type DataShape, validateExperiment } from '@gradlab/core';
import { HELP_FLAG } from '../args.ts';
import { parseCsvDataset } from '../data-csv.ts';
import { EXIT } from '../errors.ts';
import { readJsonFile, readTextFile } from '../files.ts';
import { stringify } from '../run-outputs.ts';
import { issuesForCli } from '../spec-issues.ts';
import { type Command, print } from './types.ts';

export const validate: Command = {
  spec: {
    name: 'validate',
    summary: 'Check an experiment spec and print every problem with its path (exit code 1 if there are any).',
    positionals: [{ name: '<spec.json>' }],
    flags: {
      data: {
        type: 'string',
        value: 'FILE.csv',
        description: 'Check the spec against this CSV data (see gradlab run --help).',
      },
      json: { type: 'boolean', description: 'Print { valid, issues: [{ path, code, message, hint }] }.' },
      help: HELP_FLAG,
    },
    examples: ['gradlab validate spec.json', 'gradlab validate spec.json --json'],
  },

  run({ values, positionals }, ctx) {
    const file = positionals[0];
    const spec = readJsonFile(file, ctx.io.cwd, 'spec');
    let shape: (DataShape & { rows?: number }) | undefined;
    if (typeof values.data === 'string') {
      shape = parseCsvDataset(readTextFile(values.data, ctx.io.cwd, 'data file'), values.data);
    }
    const issues = issuesForCli(validateExperiment(spec, ctx.registry(), shape));
    if (values.json) {
      print(ctx, stringify({ valid: issues.length === 0, issues }));
      return issues.length ? EXIT.failure : EXIT.ok;
    }
    const { style } = ctx;
    if (issues.length === 0) {
      print(ctx, `${style.green('✓')} ${file} is a valid experiment spec.`);
      return EXIT.ok;
    }
    const lines = issues.flatMap((i) => [
      `  ${style.red('✗')} ${style.bold(i.path || '(root)')} ${i.message} ${style.dim(`[${i.code}]`)}`,
      ...(i.hint ? [`      ${style.dim('hint:')} ${i.hint}`] : []),
    ]);
    print(ctx, [`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`, ...lines].join('\n'));
    return EXIT.failure;
  },
};
