// `pnpm start`: serve the built site with `astro preview` and print its address (the build ran first).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const root = new URL('..', import.meta.url);
if (!existsSync(new URL('dist/index.html', root))) {
  console.error('apps/site/dist is missing: run `pnpm start` from the repository root (it builds first).');
  process.exit(1);
}
const port = process.env.PORT ?? '4321';
const child = spawn('astro', ['preview', '--host', '127.0.0.1', '--port', port], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
});
let printed = false;
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const m = /https?:\/\/[^\s]+/.exec(stripVTControlCharacters(String(chunk)));
  if (m && !printed) {
    printed = true;
    console.log(`\ngradlab explainer: open ${m[0]} (Ctrl+C stops the server)\n`);
  }
});
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
