/**
 * The CDK entry point as the CLI runs it (`node infra/app.ts`, context and output folder from the CLI's
 * environment): on a checkout without a site build it builds one, then synthesizes the page rendered from
 * that build. No bundling of the functions (the stacks test does that), no credentials.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_BASE } from '../functions/src/domain/modules/render.ts';
import { repoRoot } from './lib/app-function.ts';
import { cdkContext } from './test-support.ts';

describe('npx cdk synth / deploy on a fresh checkout', () => {
  it('builds the missing site into webDist, then synthesizes the page rendered from that build', () => {
    const webDist = join(mkdtempSync(join(tmpdir(), 'fresh-')), 'web');
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-app-'));
    const context = { ...cdkContext, webDist, 'aws:cdk:bundling-stacks': [] };
    const { CDK_DEFAULT_ACCOUNT: _account, CDK_DEFAULT_REGION: _region, ...environment } = process.env;
    const output = execFileSync(process.execPath, [join(repoRoot, 'infra/app.ts')], {
      cwd: repoRoot,
      env: { ...environment, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output).toBe(''); // the build reports on stderr: stdout stays the CLI's
    const base = join(webDist, REGISTRY_BASE);
    expect(existsSync(base)).toBe(true);
    expect(existsSync(join(webDist, 'shell'))).toBe(true);

    const web = JSON.parse(readFileSync(join(outdir, `${cdkContext.prefix}-Web.template.json`), 'utf8'));
    const pages = Object.values(web.Resources as Record<string, { Type: string; Properties: { SiteBuild?: string } }>).filter((r) => r.Type === 'Custom::SitePage');
    expect(pages.map((page) => page.Properties.SiteBuild)).toEqual([createHash('sha256').update(readFileSync(base)).digest('hex')]);
    expect(Object.keys(web.Outputs)).toContain('SiteUrl');
  });
});
