/**
 * The functions' configuration, typed, and the one place the environment variables are named. The CDK app sets
 * them by these names (infra/); a Lambda function reads them once, at its composition root (commons/runtime.ts);
 * the local stack builds its runtime from the same reading. Handlers and services get a `Config` or what it
 * wires, never `process.env`. (Powertools reads its own POWERTOOLS_* variables.)
 */
import { DEFAULT_LEASE_TTL_MS } from './services/lease.ts';

export const env = {
  /** the city: a folder name under config/cities/ (default hcmc) or a path to one */
  city: 'CITY',
  recordsTable: 'RECORDS_TABLE',
  stateTable: 'STATE_TABLE',
  /** the public bucket on AWS; without it, public files go to `publicDir` */
  publicBucket: 'PUBLIC_BUCKET',
  publicDir: 'PUBLIC_DIR',
  /** DynamoDB Local's URL; unset on AWS */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  region: 'AWS_REGION',
  /** the scoring and publishing leases' lifetime, ms */
  leaseTtlMs: 'LEASE_TTL_MS',
  logLevel: 'LOG_LEVEL',
  /** `true` where metrics go nowhere (the local stack); Powertools reads it too */
  metricsDisabled: 'POWERTOOLS_METRICS_DISABLED',
  /** locally, the site build the module registry reads beneath the public folder */
  webDir: 'WEB_DIR',
  /** `true`: the dev variant of index.html (import-map-overrides); never set by the CDK app */
  allowImportMapOverrides: 'ALLOW_IMPORT_MAP_OVERRIDES',
  /** where overridden modules may load from */
  importMapOverridesOrigins: 'IMPORT_MAP_OVERRIDES_ORIGINS',
  /** the site's address (`https://host`), for what must be absolute: the social previews' Open Graph addresses */
  siteUrl: 'SITE_URL',
} as const;

export const DEFAULT_CITY = 'hcmc';
const DEFAULT_OVERRIDE_ORIGINS = 'http://localhost:* http://127.0.0.1:*';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

export interface Config {
  city: string;
  /** The tables a function was given (the SitePage function has no records table). */
  tables: { records?: string; state?: string };
  dynamodb: { endpoint?: string; region?: string };
  /** Where public files (snapshots, the site page) are written: the bucket on AWS, a folder locally. */
  publicFiles: { bucket: string } | { dir: string };
  /** Locally: the site build, read where the public folder has no file (as the local server serves it). */
  webDir?: string;
  leaseTtlMs: number;
  logLevel: LogLevel;
  /** False where metrics go nowhere. */
  metrics: boolean;
  importMapOverrides?: { origins: string[] };
  /** The site's address without a trailing slash; empty: addresses relative to the host. */
  siteUrl: string;
}

type Environment = Record<string, string | undefined>;

/** Reads the configuration from an environment (default: the process's); a malformed value throws, naming it. */
export function readConfig(environment: Environment = process.env): Config {
  const bucket = environment[env.publicBucket];
  return {
    city: cityOf(environment),
    tables: { records: environment[env.recordsTable] || undefined, state: environment[env.stateTable] || undefined },
    dynamodb: { endpoint: environment[env.dynamodbEndpoint] || undefined, region: environment[env.region] || undefined },
    publicFiles: bucket ? { bucket } : { dir: environment[env.publicDir] ?? '.data/public' },
    webDir: bucket ? undefined : environment[env.webDir] || undefined,
    leaseTtlMs: positive(environment, env.leaseTtlMs, DEFAULT_LEASE_TTL_MS),
    logLevel: logLevel(environment[env.logLevel]),
    metrics: environment[env.metricsDisabled] !== 'true',
    importMapOverrides: environment[env.allowImportMapOverrides] === 'true'
      ? { origins: (environment[env.importMapOverridesOrigins] ?? DEFAULT_OVERRIDE_ORIGINS).split(/[\s,]+/).filter(Boolean) }
      : undefined,
    siteUrl: siteUrl(environment[env.siteUrl]),
  };
}

function siteUrl(text: string | undefined): string {
  if (!text) return '';
  if (!/^https?:\/\/[^/\s]+\/?$/.test(text)) throw new Error(`${env.siteUrl} must be an origin like https://example.org; got "${text}"`);
  return text.replace(/\/$/, '');
}

/** The city a tool means when it names none: `CITY`, else the default. */
export function cityOf(environment: Environment = process.env): string {
  return environment[env.city] || DEFAULT_CITY;
}

/** A table's name; a function not given that table cannot build its store. */
export function tableOf(config: Pick<Config, 'tables'>, table: keyof Config['tables']): string {
  const name = config.tables[table];
  if (!name) throw new Error(`No ${table} table: set ${table === 'records' ? env.recordsTable : env.stateTable}`);
  return name;
}

function positive(environment: Environment, name: string, fallback: number): number {
  const text = environment[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of milliseconds; got "${text}"`);
  return value;
}

function logLevel(text: string | undefined): LogLevel {
  const level = (text ?? 'INFO').toUpperCase();
  if (!['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'].includes(level)) throw new Error(`${env.logLevel} must be DEBUG, INFO, WARN, ERROR or SILENT; got "${text}"`);
  return level as LogLevel;
}
