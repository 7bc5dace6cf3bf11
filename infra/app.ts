/**
 * CDK entry point (`cdk.json` → `node infra/app.ts`). A checkout without a site build gets one first
 * (`npm run build`, into the `webDist` folder), so `npx cdk deploy --all` after `npm install` needs
 * nothing else; a build that fails stops the synthesis with its error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { REGISTRY_BASE } from '../functions/src/domain/modules/render.ts';
import { readConfig } from './config.ts';
import { repoRoot } from './lib/app-function.ts';
import { siteBuildDir } from './lib/web-stack.ts';
import { buildApp } from './main.ts';

const app = new App();
const site = siteBuildDir(readConfig(app));
if (!existsSync(join(site, REGISTRY_BASE))) {
  console.error(`No site build in ${site}: building it (npm run build)…`);
  // The CLI reads the app's output from cdk.out, not stdout; the build's lines go to stderr all the same.
  execFileSync(process.execPath, [join(repoRoot, 'scripts/build-web.ts'), '--out', site], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
}
buildApp(app);
app.synth();
