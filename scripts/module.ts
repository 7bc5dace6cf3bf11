/**
 * The team workflow for one micro-frontend (docs/MODULES.md):
 *
 *   npm run module -- build <name> [--dir DIR] [--out DIR]  build to dist/module-builds/modules/<name>/<version>/ (the same
 *                                                           bytes as npm run build gives it, from any working directory)
 *   npm run module -- test <name>                           its unit tests
 *   npm run module -- dev <name> [--port 5173] [--dir DIR]  rebuild on change and serve at http://127.0.0.1:5173/main.js for
 *                                                           import-map-overrides on a local site (--url: the site, for CORS)
 *   npm run module -- deploy <name> [--url URL] [--key KEY] [--public-dir DIR | --bucket BUCKET] [--dir DIR]
 *                                                           build, ask the registry whether it would publish the version,
 *                                                           upload the files to modules/_staging/<name>/<version>/, then
 *                                                           publish (the registry copies them into modules/<name>/<version>/
 *                                                           and makes the version live)
 *   npm run module -- deploy <name> --preview [same options]  the same, but the version is not made current: the registry
 *                                                           prints a preview link (/?preview=<token>) showing the site with it
 *   npm run module -- rollback <name> <version> [--url URL] [--key KEY]
 *   npm run module -- retire <name> [--url URL] [--key KEY]  out of the import map, navigation and index.html (history kept;
 *                                                           deploy or rollback brings it back)
 *   npm run module -- history <name> [--url URL]
 *   npm run module -- errors <name> [--url URL] [--key KEY]  the module's error reports of the last 30 days, by version and kind
 *
 * Defaults: --url $REGISTRY_URL or http://localhost:8080, --key $MODULE_KEY or dev-ingest-key (the local
 * stack's key, which may publish every module locally), --bucket $MODULE_BUCKET, --public-dir $MODULE_PUBLIC_DIR or
 * .data/public (the local stack's public folder).
 *
 * The commands live in scripts/lib/module-commands.ts; a team's own repository runs the same ones as `npx itmap-module`
 * (the kit's bin, scripts/itmap-module.ts).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, MONOREPO } from './lib/module-commands.ts';

export { build, check, deploy, dev, errors, history, preview, publish, retire, rollback, siteOrigins, unstage, upload, type BuiltModule, type Target } from './lib/module-commands.ts';

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2), MONOREPO).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
