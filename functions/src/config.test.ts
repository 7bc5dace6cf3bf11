import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEASE_TTL_MS } from './services/lease.ts';
import { env, readConfig, tableOf } from './config.ts';

describe('readConfig', () => {
  it('reads a Lambda function\'s environment as the CDK app sets it', () => {
    const config = readConfig({ [env.recordsTable]: 'R', [env.stateTable]: 'S', [env.city]: 'hcmc', [env.publicBucket]: 'site', [env.webDir]: '/ignored', [env.siteUrl]: 'https://bando.example/' });
    expect(config).toEqual({
      city: 'hcmc', tables: { records: 'R', state: 'S' }, dynamodb: { endpoint: undefined, region: undefined },
      publicFiles: { bucket: 'site' }, webDir: undefined, leaseTtlMs: DEFAULT_LEASE_TTL_MS, logLevel: 'INFO', metrics: true, importMapOverrides: undefined,
      siteUrl: 'https://bando.example',
    });
    expect(readConfig({}).siteUrl).toBe('');
  });

  it('reads the local stack\'s: DynamoDB Local, a public folder over the build, a short lease, no metrics, the dev page', () => {
    const config = readConfig({
      [env.dynamodbEndpoint]: 'http://127.0.0.1:8000', [env.publicDir]: '/data/public', [env.webDir]: '/dist/web', [env.leaseTtlMs]: '15000',
      [env.logLevel]: 'warn', [env.metricsDisabled]: 'true', [env.allowImportMapOverrides]: 'true', [env.importMapOverridesOrigins]: 'http://a:1, http://b:2',
    });
    expect(config).toMatchObject({
      city: 'hcmc', dynamodb: { endpoint: 'http://127.0.0.1:8000' }, publicFiles: { dir: '/data/public' }, webDir: '/dist/web',
      leaseTtlMs: 15_000, logLevel: 'WARN', metrics: false, importMapOverrides: { origins: ['http://a:1', 'http://b:2'] },
    });
    expect(readConfig({ [env.allowImportMapOverrides]: 'true' }).importMapOverrides).toEqual({ origins: ['http://localhost:*', 'http://127.0.0.1:*'] });
    expect(readConfig({ [env.allowImportMapOverrides]: 'yes' }).importMapOverrides).toBeUndefined();
  });

  it('refuses a malformed value, naming the variable', () => {
    expect(() => readConfig({ [env.leaseTtlMs]: '15s' })).toThrow(/LEASE_TTL_MS .*"15s"/);
    expect(() => readConfig({ [env.leaseTtlMs]: '0' })).toThrow(/LEASE_TTL_MS/);
    expect(() => readConfig({ [env.logLevel]: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => readConfig({ [env.siteUrl]: 'bando.example/path' })).toThrow(/SITE_URL .*"bando.example\/path"/);
  });

  it('names the variable of a table a function was not given', () => {
    const config = readConfig({ [env.stateTable]: 'S' });
    expect(tableOf(config, 'state')).toBe('S');
    expect(() => tableOf(config, 'records')).toThrow(/RECORDS_TABLE/);
  });
});

it('no file of the functions but config.ts reads the environment', () => {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
  const readers = files.filter((file) => /process\.env\b/.test(readFileSync(join(root, file), 'utf8')));
  expect(readers).toEqual(['config.ts']);
});
