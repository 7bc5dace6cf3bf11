/** `npm run pack-kit` as docs/MODULES.md shows it: two tarballs, the kit carrying its bin and no tests. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('npm run pack-kit -- DIR writes the kit and the shared types as tarballs', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'itmap-pack-'));
  const out = execFileSync('npm', ['run', '--silent', 'pack-kit', '--', dir], { encoding: 'utf8' });
  const files = out.trim().split('\n').filter((line) => line.endsWith('.tgz'));
  expect(files.map((file) => file.slice(dir.length + 1)).sort()).toEqual([expect.stringMatching(/^itmap-kit-\d+\.\d+\.\d+\.tgz$/), expect.stringMatching(/^itmap-shared-types-\d+\.\d+\.\d+\.tgz$/)]);
  for (const file of files) expect(existsSync(file)).toBe(true);
  const listing = execFileSync('tar', ['-tzf', files.find((f) => f.includes('itmap-kit-'))!], { encoding: 'utf8' }).split('\n');
  expect(listing).toContain('package/bin/itmap-module.js');
  expect(listing).toContain('package/core.ts');
  expect(listing.filter((path) => path.endsWith('.test.ts'))).toEqual([]);
});
