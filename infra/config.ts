/**
 * Deployment configuration, read from the CDK context (`cdk.json` → `context`, or `-c key=value`).
 * Everything an operator sets for a city lives here; nothing secret does (keys are stored hashed in
 * the state table, never in configuration or Lambda environment).
 */
import type { App } from 'aws-cdk-lib';
import { moduleNameProblem } from '../functions/src/domain/modules/rules.ts';
import { loadCity } from '../functions/src/commons/city.ts';

export interface ModuleCiConfig {
  /** ARN of the account's GitHub Actions OIDC provider (token.actions.githubusercontent.com), if teams deploy from GitHub. */
  githubOidcProviderArn?: string;
  /** Module name → `owner/repo` whose workflows may assume that module's publisher role. */
  repositories: Record<string, string>;
}

export interface AppConfig {
  /** Prefix of every stack name, so two deployments (e.g. two cities) can share an account. */
  prefix: string;
  /** The city the handlers load: a folder under `config/cities/` (checked at synth by the same loader). */
  city: string;
  /** One publisher role per department team's module. */
  modules: string[];
  moduleCi: ModuleCiConfig;
  /** Custom domain for the site; needs an ACM certificate in us-east-1. */
  domainName?: string;
  certificateArn?: string;
  /** CloudFront price class: PriceClass_100 | PriceClass_200 | PriceClass_All. */
  priceClass: string;
  /** Paths whose objects are content-hashed or versioned, served with a one-year immutable cache. */
  immutablePaths: string[];
  /** Built site (shell + shared bundles) uploaded on deploy when the folder exists. */
  webDist: string;
  /** E-mail addresses subscribed to the alarm topic (context `alarmEmail`: one address, a comma-separated list or a JSON list). */
  alarmEmails: string[];
  /** HTTP API throttling (requests per second, burst) for the whole stage and for the write routes. */
  throttle: { rate: number; burst: number; ingestRate: number; ingestBurst: number; modulesRate: number; modulesBurst: number };
  /** Days CloudWatch keeps function and access logs. */
  logRetentionDays: number;
  /**
   * AWS WAF rate-based rules on the CloudFront distribution: requests one IP address may send in any
   * 5-minute window, to the whole site, to the API (reads and the registry) and to the ingest route.
   * Over a limit, that address gets 429 until its rate falls back under it.
   */
  waf: { rateLimit: number; apiRateLimit: number; ingestRateLimit: number };
  /**
   * What happens to the pinned snapshots under `data/pins/` (the copies embeds in articles read), in days
   * after each was written: to S3 Standard-IA, then to Glacier Instant Retrieval (both answer CloudFront in
   * milliseconds: an embed cannot tell), then deleted; `expireAfterDays: 0` keeps them for ever. Copies under
   * 128 KB stay in S3 Standard (cheaper there). An embed whose pin has expired shows the live figures with a
   * note that they changed since (docs/JOURNALISTS.md § How long an embed keeps its figures).
   */
  pinRetention: { infrequentAccessAfterDays: number; archiveAfterDays: number; expireAfterDays: number };
  /**
   * Version id of the origin-verify secret CloudFront sends to the API, after a rotation
   * (docs/OPERATIONS.md § Rotate the origin secret); unset: the secret's current version at deploy time.
   */
  originSecretVersion?: string;
}

/** The registry's name rule (functions/src/domain/modules/rules.ts), the one the scaffold and the keys tool use. */
export { MODULE_NAME, moduleNameProblem } from '../functions/src/domain/modules/rules.ts';

const defaults: AppConfig = {
  prefix: 'BanDoTheChe',
  city: 'hcmc',
  modules: [],
  moduleCi: { repositories: {} },
  priceClass: 'PriceClass_200',
  immutablePaths: ['/modules/*', '/shared/*', '/shell/*.js', '/shell/*.css'],
  webDist: 'dist/web',
  alarmEmails: [],
  throttle: { rate: 200, burst: 400, ingestRate: 50, ingestBurst: 100, modulesRate: 5, modulesBurst: 10 },
  logRetentionDays: 30,
  waf: { rateLimit: 6000, apiRateLimit: 600, ingestRateLimit: 6000 },
  pinRetention: { infrequentAccessAfterDays: 30, archiveAfterDays: 90, expireAfterDays: 5 * 365 + 1 },
};

/**
 * S3's own bounds on the pins' lifecycle: Standard-IA takes objects 30 days old at the earliest; Glacier
 * Instant Retrieval bills 90 days whatever happens sooner, so a pin is archived after it moves to
 * Standard-IA and deleted no sooner than 90 days after it was archived.
 */
function checkPinRetention(pins: AppConfig['pinRetention']): AppConfig['pinRetention'] {
  const days = (key: keyof AppConfig['pinRetention']) => {
    const value = pins[key];
    if (!Number.isInteger(value) || value < 0) throw new Error(`context "pinRetention.${key}": ${String(value)} is not a whole number of days`);
    return value;
  };
  const [ia, archive, expire] = [days('infrequentAccessAfterDays'), days('archiveAfterDays'), days('expireAfterDays')];
  if (ia < 30) throw new Error(`context "pinRetention.infrequentAccessAfterDays": ${ia} is under 30, the earliest S3 moves an object to Standard-IA`);
  if (archive <= ia) throw new Error(`context "pinRetention.archiveAfterDays": ${archive} must come after infrequentAccessAfterDays (${ia})`);
  if (expire !== 0 && expire < archive + 90) {
    throw new Error(`context "pinRetention.expireAfterDays": ${expire} is less than 90 days after archiveAfterDays (${archive}), which Glacier Instant Retrieval bills anyway; 0 keeps pins for ever`);
  }
  return pins;
}

/** Not a full RFC 5322 check: enough to catch a typo or a stray value before SNS rejects the deploy. */
export const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** WAF takes a rate-based limit between 10 and 2,000,000,000 requests per window. */
const WAF_LIMIT = { min: 10, max: 2_000_000_000 };

/** Context given on the command line arrives as a string; accept JSON there. */
function parse<T>(value: unknown): T {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[') || text.startsWith('{')) return JSON.parse(text) as T;
  }
  return value as T;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function readConfig(app: App): AppConfig {
  const get = (key: string) => parse<unknown>(app.node.tryGetContext(key));
  let modules = get('modules') ?? defaults.modules;
  if (typeof modules === 'string') modules = modules.split(',').map((name) => name.trim()).filter(Boolean);
  if (!Array.isArray(modules)) throw new Error('context "modules" must be a list of module names');
  for (const name of modules) {
    const problem = moduleNameProblem(name);
    if (problem) throw new Error(`context "modules": ${problem}`);
  }
  if (new Set(modules).size !== modules.length) throw new Error('context "modules" lists a module twice');

  const moduleCi = { ...defaults.moduleCi, ...(get('moduleCi') as Partial<ModuleCiConfig> | undefined) };
  const domainName = optionalString(get('domainName'));
  const certificateArn = optionalString(get('certificateArn'));
  if (Boolean(domainName) !== Boolean(certificateArn)) {
    throw new Error('context "domainName" and "certificateArn" (ACM, us-east-1) go together');
  }
  const priceClass = optionalString(get('priceClass')) ?? defaults.priceClass;
  if (!['PriceClass_100', 'PriceClass_200', 'PriceClass_All'].includes(priceClass)) {
    throw new Error(`context "priceClass": unknown value ${priceClass}`);
  }

  let emails = get('alarmEmail') ?? [];
  if (typeof emails === 'string') emails = emails.split(',').map((address) => address.trim()).filter(Boolean);
  if (!Array.isArray(emails)) throw new Error('context "alarmEmail" must be an e-mail address or a list of them');
  for (const address of emails) {
    if (typeof address !== 'string' || !EMAIL.test(address)) throw new Error(`context "alarmEmail": "${String(address)}" is not an e-mail address`);
  }

  const waf = { ...defaults.waf, ...(get('waf') as Partial<AppConfig['waf']> | undefined) };
  for (const [key, limit] of Object.entries(waf)) {
    if (!Number.isInteger(limit) || limit < WAF_LIMIT.min || limit > WAF_LIMIT.max) {
      throw new Error(`context "waf.${key}": ${String(limit)} is not a whole number of requests between ${WAF_LIMIT.min} and ${WAF_LIMIT.max}`);
    }
  }

  // the city's folder, read by the loader every function uses: a broken registry or method fails the synth, not a Lambda
  const city = optionalString(get('city')) ?? defaults.city;
  loadCity(city);

  return {
    prefix: optionalString(get('prefix')) ?? defaults.prefix,
    city,
    modules: modules as string[],
    moduleCi,
    domainName,
    certificateArn,
    priceClass,
    immutablePaths: (get('immutablePaths') as string[] | undefined) ?? defaults.immutablePaths,
    webDist: optionalString(get('webDist')) ?? defaults.webDist,
    alarmEmails: [...new Set(emails as string[])],
    throttle: { ...defaults.throttle, ...(get('throttle') as Partial<AppConfig['throttle']> | undefined) },
    logRetentionDays: Number(get('logRetentionDays') ?? defaults.logRetentionDays),
    waf,
    originSecretVersion: optionalString(get('originSecretVersion')),
    pinRetention: checkPinRetention({ ...defaults.pinRetention, ...(get('pinRetention') as Partial<AppConfig['pinRetention']> | undefined) }),
  };
}
