/**
 * Access: every district's scoped key tries to write every district (and a ward of its own) and to take
 * over another district's record by resending it with a unit of its own; every
 * team's key tries to publish every module (and to write records); nobody gets in without a key; every
 * procedure name carries markup. Ends with nothing stored outside a key's scope, every module as its own
 * team published it, 401 for every write without a known key, the markup stored verbatim as text, and
 * no HTML sink in the front end's source (no `{@html}`, `innerHTML`, …), so it renders inert.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStack } from '../../../local/stack.ts';
import { loadCity } from '../../../functions/src/commons/city.ts';
import { hashKey } from '../../../functions/src/services/auth.ts';
import { subtreeOf } from '../../../functions/src/domain/structure/structure.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { stubWebDir, uploadBundle } from '../../support/modules.ts';
import { storedRecords } from '../../support/verify.ts';
import { begin, type Log, type ScenarioResult, type Sizes } from './result.ts';

export interface AccessOptions {
  /** districts with a scoped key each (the first n of the registry) */
  districts: number;
  /** module teams with a key each */
  modules: number;
}

export const accessSizes = {
  test: { districts: 3, modules: 2 },
  bench: (scale: number): AccessOptions => ({ districts: Math.round(24 * scale), modules: Math.round(8 * scale) }),
} satisfies Sizes<AccessOptions>;

/** A stack whose module registry can publish (a stand-in site build), and its public folder. */
export async function startAccessStack(): Promise<{ stack: LocalStack; publicDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bando-access-'));
  return { stack: await startTestStack({ dataDir, webDir: stubWebDir() }), publicDir: join(dataDir, 'public') };
}

/** Text that would run if it were ever rendered as HTML. */
const markup = (unitId: string) => `<script>alert("${unitId}")</script><img src=x onerror="alert(1)"> Cấp giấy phép & "trích lục"`;

const procedure = (id: string, unitId: string) => ({
  type: 'procedure', id, unitId, name: markup(unitId), onlineLevel: 'full', feeRequired: true, onlinePaymentIntegrated: true,
  resultRequired: true, citizenApplicants: true, populationDataConnected: true, announcementDueAt: null, announcedAt: null,
  publicationDueAt: null, publishedAt: null, componentsPublished: 7, updatedAt: '2024-02-01T00:00:00+07:00',
});

/** Front-end source files that could turn data into HTML: Svelte components and scripts, tests left out. */
function frontEndSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(svelte|ts|js)$/.test(name) && !/\.(test|spec)\.ts$/.test(name)) files.push(path);
    }
  };
  for (const dir of ['shell/src', 'microfrontends', 'embed']) walk(dir);
  return files;
}
const HTML_SINKS = /\{@html|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write/;

export async function runAccess(stack: Pick<LocalStack, 'url'>, publicDir: string, options: AccessOptions, log: Log = () => undefined): Promise<ScenarioResult> {
  const run = begin('access');
  const units = loadCity().units;
  const districts = units.filter((unit) => unit.kind === 'district').slice(0, options.districts);
  const modules = Array.from({ length: options.modules }, (_, i) => `team-${String.fromCharCode(97 + (i % 26))}${i >= 26 ? i : ''}`);
  // Imported only now: the runtime reads its configuration from the environment the stack sets.
  const { stores } = await import('../../../functions/src/commons/runtime.ts');
  const state = stores().state;
  for (const district of districts) await state.putKey({ hash: hashKey(`key-${district.id}`), name: `${district.id} system`, scopes: [district.id] });
  for (const name of modules) await state.putKey({ hash: hashKey(`key-${name}`), name: `${name} team`, scopes: [], modules: [name] });
  const counts = { '401': 0, '403': 0, 'writes outside scope rejected': 0, "takeovers of another scope's record refused": 0, 'module publishes refused': 0 };

  const request = async (method: string, path: string, body: string, key: string | null, contentType = 'application/json') => {
    run.figures.requests += 1;
    const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': contentType, ...(key ? { authorization: `Bearer ${key}` } : {}) }, body });
    if (response.status === 401) counts['401'] += 1;
    if (response.status === 403) counts['403'] += 1;
    if (response.status >= 500) run.figures.status5xx += 1;
    return { status: response.status, body: await response.json() };
  };

  // Scoped keys: one request per district, a procedure for every district and one for a ward of its own.
  const sent = new Map<string, { unitId: string; scope: string; name: string }>();
  log(`access: ${districts.length} scoped keys × ${districts.length + 1} targets`);
  for (const district of districts) {
    const ward = units.find((unit) => unit.parentId === district.id);
    const targets = [...districts.map((d) => d.id), ...(ward ? [ward.id] : [])];
    const records = targets.map((unitId) => procedure(`acc-${district.id}-${unitId}`, unitId));
    for (const record of records) sent.set(record.id, { unitId: record.unitId, scope: district.id, name: record.name });
    run.figures.sends += records.length;
    const reply = await request('POST', '/api/v1/records', JSON.stringify(records), `key-${district.id}`);
    const inside = targets.filter((unitId) => unitId === district.id || unitId === ward?.id).length;
    if (reply.status !== 200 || reply.body.accepted !== inside) run.problem(`${district.id}'s key: HTTP ${reply.status}, ${reply.body.accepted} accepted, expected ${inside}`);
    for (const rejection of reply.body.rejected ?? []) {
      const outside = rejection.errors.some((e: { field: string; message: string }) => e.field === 'unitId' && e.message.includes('outside'));
      if (outside) counts['writes outside scope rejected'] += 1;
      else run.problem(`${district.id}'s key: rejected for another reason ${JSON.stringify(rejection)}`);
    }
  }

  // Takeover: each district's key resends the next district's own record, newer, with a unit of its own.
  for (const [i, district] of districts.entries()) {
    const victim = districts[(i + 1) % districts.length];
    if (victim.id === district.id) continue;
    const record = { ...procedure(`acc-${victim.id}-${victim.id}`, district.id), updatedAt: '2024-03-01T00:00:00+07:00' };
    run.figures.sends += 1;
    const reply = await request('POST', '/api/v1/records', JSON.stringify([record]), `key-${district.id}`);
    const refused = reply.status === 200 && reply.body.accepted === 0 && reply.body.rejected?.[0]?.errors?.[0]?.field === 'id';
    if (refused) counts["takeovers of another scope's record refused"] += 1;
    else run.problem(`${district.id}'s key took over ${record.id}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
  }

  // No key, an unknown key: 401 for records and for modules.
  for (const district of districts) {
    for (const key of [null, `not-a-key-${district.id}`]) {
      const record = procedure(`acc-anon-${district.id}`, district.id);
      const reply = await request('POST', '/api/v1/records', JSON.stringify([record]), key);
      if (reply.status !== 401) run.problem(`records without a known key: HTTP ${reply.status}`);
    }
  }

  // Team keys: publish their own module, are refused every other module (and its rollback), and write no records.
  log(`access: ${modules.length} team keys × ${modules.length} modules`);
  const published = new Map<string, string>();
  for (const name of modules) {
    const own = uploadBundle(publicDir, name, '1.0.0');
    const reply = await request('POST', `/api/v1/modules/${name}/versions`, JSON.stringify(own), `key-${name}`);
    if (reply.status === 201) published.set(name, own.url);
    else run.problem(`${name} team could not publish its own module: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
  }
  for (const name of modules) {
    for (const other of modules.filter((m) => m !== name)) {
      const body = JSON.stringify(uploadBundle(publicDir, other, '2.0.0', `export const by = ${JSON.stringify(name)};`));
      for (const [path, payload] of [[`/api/v1/modules/${other}/versions`, body], [`/api/v1/modules/${other}/rollback`, JSON.stringify({ version: '1.0.0' })]]) {
        const reply = await request('POST', path, payload, `key-${name}`);
        if (reply.status === 403) counts['module publishes refused'] += 1;
        else run.problem(`${name} team on ${path}: HTTP ${reply.status}`);
      }
    }
    const anonymous = await request('POST', `/api/v1/modules/${name}/versions`, JSON.stringify(uploadBundle(publicDir, name, '3.0.0')), null);
    if (anonymous.status !== 401) run.problem(`module publish without a key: HTTP ${anonymous.status}`);
    const records = await request('POST', '/api/v1/records', JSON.stringify([procedure(`acc-team-${name}`, districts[0].id)]), `key-${name}`);
    if (records.status === 200 && records.body.accepted > 0) run.problem(`${name} team's key wrote a record`);
  }
  // A district's ingest key publishes no module.
  const byIngestKey = await request('POST', `/api/v1/modules/${modules[0]}/versions`, JSON.stringify(uploadBundle(publicDir, modules[0], '4.0.0')), `key-${districts[0].id}`);
  if (byIngestKey.status !== 403) run.problem(`a district's key on a module: HTTP ${byIngestKey.status}`);
  const registry = (await (await fetch(`${stack.url}/api/v1/modules`)).json()) as { modules: Record<string, { version: string; url: string }> };
  for (const [name, url] of published) {
    if (registry.modules[name]?.url !== url) run.problem(`module ${name} is ${JSON.stringify(registry.modules[name])}, not its team's 1.0.0`);
  }

  // What is stored: only records inside their key's scope, markup verbatim.
  const scopes = new Map(districts.map((d) => [d.id, subtreeOf(loadCity().structure, d.id)]));
  let markupVerbatim = 0;
  for await (const body of storedRecords()) {
    const record = body as { id: string; unitId: string; name: string };
    const expected = sent.get(record.id);
    if (!expected || !scopes.get(expected.scope)!.has(record.unitId)) {
      run.figures.invalidStored += 1;
      run.problem(`stored outside its key's scope: ${record.id} in ${record.unitId}`);
      continue;
    }
    run.figures.records += 1;
    if (record.name === expected.name) markupVerbatim += 1;
    else run.problem(`markup not stored verbatim: ${JSON.stringify(record.name)}`);
  }
  const inScope = [...sent.values()].filter((s) => scopes.get(s.scope)!.has(s.unitId)).length;
  if (run.figures.records !== inScope) run.problem(`${run.figures.records} records stored, ${inScope} were inside their key's scope`);

  const sinks = frontEndSources().filter((file) => HTML_SINKS.test(readFileSync(file, 'utf8')));
  for (const file of sinks) run.problem(`HTML sink in front-end source: ${file}`);

  run.figures.detail = {
    'scoped keys': districts.length,
    'team keys': modules.length,
    ...counts,
    'markup stored verbatim': markupVerbatim,
    'front-end files checked for HTML sinks': frontEndSources().length,
    'HTML sinks': sinks.length,
  };
  return run.end();
}
