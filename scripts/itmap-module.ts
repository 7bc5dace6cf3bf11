/**
 * `npx itmap-module` — the team commands in a module's own repository (templates/module/README.md): the same as
 * `npm run module -- …` in the monorepo (scripts/lib/module-commands.ts), the repository itself being the module.
 *
 *   itmap-module build [--out DIR]          → dist/modules/<name>/<version>/<name>-<hash>.js (+ .css); prints the version body
 *   itmap-module test                       its unit tests (npx vitest run)
 *   itmap-module dev [--port 5173] [--url SITE]
 *   itmap-module deploy [--preview] [--url URL] [--key KEY] (--bucket BUCKET | --public-dir DIR)
 *   itmap-module history | errors | retire | rollback <version>
 *
 * Defaults: --url $REGISTRY_URL, --key $MODULE_KEY, --bucket $MODULE_BUCKET, --public-dir $MODULE_PUBLIC_DIR.
 * Bundled into the kit's package (packages/kit/bin/itmap-module.bundle.js, which its bin imports) by scripts/kit-bin.ts when the kit is packed:
 * it runs from node_modules, where Node does not strip types, so it is plain JavaScript there.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main, type Place } from './lib/module-commands.ts';

/** This file, bundled, is <kit>/bin/itmap-module.bundle.js. */
const kitDir = resolve(import.meta.dirname, '..');
const cwd = process.cwd();
const place: Place = {
  kitDir, workingDir: cwd,
  moduleDir: () => cwd,
  outDir: join(cwd, 'dist'),
  test: (dir) => spawnSync('npx', ['vitest', 'run'], { cwd: dir, stdio: 'inherit' }).status ?? 1,
};
const manifestName = (() => {
  try { return (JSON.parse(readFileSync(join(cwd, 'manifest.json'), 'utf8')) as { name?: string }).name; } catch { return undefined; }
})();

main(process.argv.slice(2), place, manifestName).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
