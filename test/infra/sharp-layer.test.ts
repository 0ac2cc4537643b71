import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  lockedSharpVersion,
  npmInstallArgs,
  REQUIRED_PLATFORM_PACKAGES,
  verifySharpLayer,
} from '../../layers/sharp/build';

/** A fake layer directory with these packages (name → version) under nodejs/node_modules. */
function fakeLayer(packages: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sharp-layer-'));
  for (const [name, version] of Object.entries(packages)) {
    const packageDir = path.join(dir, 'nodejs', 'node_modules', name);
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name, version }));
  }
  return dir;
}

const ARM64 = Object.fromEntries(REQUIRED_PLATFORM_PACKAGES.map((name) => [name, '1.0.0']));

describe('sharp layer build', () => {
  const dirs: string[] = [];
  const layer = (packages: Record<string, string>) => {
    const dir = fakeLayer(packages);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('installs the exact sharp version of the root lock file', () => {
    const version = lockedSharpVersion();
    expect(version).toBe(require('../../node_modules/sharp/package.json').version);
    expect(npmInstallArgs(version, '/out/nodejs')).toContain(`sharp@${version}`);
  });

  it('asks npm for the linux arm64 glibc binaries, without running install scripts', () => {
    const args = npmInstallArgs('0.34.5', '/out/nodejs');
    expect(args).toEqual(
      expect.arrayContaining([
        'install',
        '--prefix=/out/nodejs',
        '--os=linux',
        '--cpu=arm64',
        '--libc=glibc',
        '--ignore-scripts',
      ]),
    );
  });

  it('accepts sharp with the linux-arm64 binaries only', () => {
    expect(() =>
      verifySharpLayer(layer({ sharp: '0.34.5', ...ARM64, '@img/colour': '1.0.0' }), '0.34.5'),
    ).not.toThrow();
  });

  it('rejects a layer without the arm64 binaries', () => {
    expect(() => verifySharpLayer(layer({ sharp: '0.34.5', '@img/sharp-linux-arm64': '1.0.0' }), '0.34.5')).toThrow(
      /missing @img\/sharp-libvips-linux-arm64/,
    );
  });

  it('rejects a layer that also holds binaries for another platform', () => {
    const dir = layer({ sharp: '0.34.5', ...ARM64, '@img/sharp-linux-x64': '1.0.0' });
    expect(() => verifySharpLayer(dir, '0.34.5')).toThrow(/another platform: @img\/sharp-linux-x64/);
  });

  it('rejects a sharp version other than the locked one', () => {
    expect(() => verifySharpLayer(layer({ sharp: '0.33.0', ...ARM64 }), '0.34.5')).toThrow(/installed sharp 0.33.0/);
  });
});
