/**
 * Runs before `npm start` and `npm run ask`: compiles the sources only when one of them is newer
 * than what was built from it (or was never built), so a restart of an unchanged checkout starts
 * without the compiler. The build itself runs at `npm install` (the `prepare` script).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every .ts file under a folder. */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const config = ['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(root, f)).mtimeMs);
const stale = sources(join(root, 'src')).filter((src) => {
  const out = join(root, 'build', relative(root, src)).replace(/\.ts$/, '.js');
  if (!existsSync(out)) return true;
  const built = statSync(out).mtimeMs;
  return statSync(src).mtimeMs > built || config.some((t) => t > built);
});

if (stale.length) {
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  if (!existsSync(tsc)) {
    process.stderr.write(
      `build: ${stale.length} source file(s) changed since the last build, and TypeScript is not installed ` +
        '(it is a development dependency): run `npm install` and `npm run build`.\n',
    );
    process.exit(existsSync(join(root, 'build', 'src', 'main.js')) ? 0 : 1);
  }
  process.stderr.write(`build: compiling (${stale.length} source file(s) changed since the last build)\n`);
  execFileSync(tsc, ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
}
