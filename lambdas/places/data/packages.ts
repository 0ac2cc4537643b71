import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/* What the places data's build scripts (make.ts, make-aliases.ts) share: their flags and the npm packages they read. */

/** The value of `--<name> <value>` on the command line, else `fallback`. */
export function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? (process.argv[at + 1] as string) : fallback;
}

/** The package's tarball in `dir` (fetched by `npm pack` when missing), unpacked; the folder it unpacked to. */
export function unpack(spec: string, dir: string): string {
  const [name, version] = spec.split('@') as [string, string];
  const tarball = path.join(dir, `${name}-${version}.tgz`);
  if (!existsSync(tarball)) execFileSync('npm', ['pack', spec, '--pack-destination', dir], { stdio: 'inherit' });
  const root = path.join(dir, `${name}-${version}`);
  if (!existsSync(path.join(root, 'package'))) {
    mkdirSync(root, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', root]);
  }
  return path.join(root, 'package');
}
