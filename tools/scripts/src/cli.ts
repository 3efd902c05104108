#!/usr/bin/env node
/**
 * gradlab-scripts: the repository's own tools (Astro's astro-scripts idea). Runs from source
 * with Node ≥ 22.18 type stripping, so it needs no build. One module per command.
 */
import { UsageError } from './lib/workspace.ts';

interface Command {
  readonly summary: string;
  load(): Promise<{ run(argv: string[]): Promise<number>; help: string }>;
}

const commands: Record<string, Command> = {
  new: { summary: 'scaffold a plugin package: new <kind> <id>', load: () => import('./new.ts') },
  'check-plugins': {
    summary: 'check every plugin package against the repo-wide rules',
    load: () => import('./check-plugins.ts'),
  },
  'gen-readmes': { summary: 'write (or --check) the generated README blocks', load: () => import('./gen-readmes.ts') },
  sz: { summary: 'line budget of core and plugin sources', load: () => import('./sz.ts') },
  'check-package': {
    summary: 'publint + attw on the packed tarball of the current package',
    load: () => import('./check-package.ts'),
  },
  'pack-test': {
    summary: 'install every packed package in a scratch project and run an example',
    load: () => import('./pack-test.ts'),
  },
  'release-check': {
    summary: 'dry-run changeset version in a temp copy and check the release is consistent',
    load: () => import('./release-check.ts'),
  },
};

const usage = `Usage: gradlab-scripts <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(15)}${c.summary}`)
  .join('\n')}

Run \`gradlab-scripts <command> --help\` for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name ? 0 : 1;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    console.error(`gradlab-scripts: unknown command "${name}".\n\n${usage}`);
    return 1;
  }
  const module = await command.load();
  try {
    return await module.run(rest);
  } catch (error) {
    // parseArgs reports unknown flags and missing values with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: string }).code ?? '';
    if (error instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      console.error(`gradlab-scripts ${name}: ${(error as Error).message}\n\n${module.help}`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
