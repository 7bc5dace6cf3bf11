/**
 * Makes the code of the kit's bin `itmap-module` (packages/kit/bin/itmap-module.js imports it from itmap-module.bundle.js
 * beside it): scripts/itmap-module.ts and the module commands and build it uses (scripts/lib/module-commands.ts, module-build.ts, the registry's rules) bundled into one
 * plain-JavaScript file, since Node strips no types under node_modules. esbuild, esbuild-svelte (and the Svelte
 * compiler it loads) and the AWS SDK stay the package's dependencies: the versions the platform builds with, pinned
 * in packages/kit/package.json. Run by the kit's `prepack`, so `npm run pack-kit` always packs a fresh bin.
 */
import * as esbuild from 'esbuild';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
export const KIT_BIN = join(ROOT, 'packages/kit/bin/itmap-module.bundle.js');

export async function buildKitBin(outfile = KIT_BIN): Promise<string> {
  await esbuild.build({
    entryPoints: [join(ROOT, 'scripts/itmap-module.ts')],
    bundle: true, platform: 'node', format: 'esm', target: 'node22', outfile,
    external: ['esbuild', 'esbuild-svelte', 'svelte', 'svelte/*', '@aws-sdk/*'],
    legalComments: 'none', logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildKitBin().then((file) => console.log(`kit bin → ${file}`), (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
