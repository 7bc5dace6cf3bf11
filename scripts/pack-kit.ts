/**
 * `npm run pack-kit [-- DIR]`: the kit and the shared types of this checkout as the tarballs a module's own
 * repository installs from its vendor/ folder (docs/MODULES.md § A module in its own repository). Default DIR:
 * dist/packages. The same packing `new-module --standalone` does.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './build-web.ts';
import { packKit, tarballOf, VENDORED } from './new-module.ts';

export async function packKitInto(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  packKit(dir);
  const { readFile } = await import('node:fs/promises');
  return Promise.all(VENDORED.map(async ({ name, dir: source }) => join(dir, tarballOf(name, JSON.parse(await readFile(join(ROOT, source, 'package.json'), 'utf8')).version))));
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  packKitInto(resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? join(ROOT, 'dist/packages'))).then(
    (files) => console.log(files.join('\n')),
    (e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; },
  );
}
