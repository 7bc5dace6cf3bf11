/**
 * Keys for the ingest API and the module registry. Prints a new random key ONCE and stores only its sha256;
 * a key is named by its id (the start of that hash) everywhere: in this list, and as the writer of every record.
 *
 *   npm run keys -- add --name "District 1 system" --scope q1 [--scope q3 ...] [--expires 2027-06-30]   an ingest key (unit subtrees)
 *   npm run keys -- add --name "overview team" --module overview [--expires …]                          a team key (one micro-frontend
 *                                                                                                        the registry or microfrontends/ knows;
 *                                                                                                        --new-module for one not published yet)
 *   npm run keys -- list                                                                                 every key: id, name, scope, dates, status
 *   npm run keys -- revoke <id>                                                                          401 from now on (the key is kept, revoked)
 *   npm run keys -- rotate <id> [--expires …]                                                            a new secret for the same name and scope; the old one is revoked
 *
 * `--expires` takes a date (the key works through that day, Asia/Ho_Chi_Minh) or an ISO 8601 instant.
 * Where: the state table named by --table or $STATE_TABLE. Against the local stack pass its DynamoDB Local
 * endpoint (printed by `npm start`) as --endpoint or $DYNAMODB_ENDPOINT; the table then defaults to local-State.
 * On AWS: credentials and region from the environment, --table the data stack's StateTableName output.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { moduleNameProblem } from '../functions/src/domain/modules/rules.ts';
import { hashKey, keyIdOf, keyRefusal } from '../functions/src/services/auth.ts';
import { CITY_UTC_OFFSET_MINUTES, parseTimestamp } from '../shared-types/src/periods.ts';
import type { IngestKey, KeyStore, ModuleStore, StateStore } from '../functions/src/store/ports.ts';

export const MAX_SCOPED_UNITS = 400;

/** The keys, and the modules a key may be for. */
type KeysDeps = KeyStore & Pick<ModuleStore, 'listModuleVersions'>;

export interface KeyOptions {
  name: string;
  scopes?: string[];
  module?: string;
  /** a date `YYYY-MM-DD` (valid through that day, city time) or an ISO 8601 instant */
  expires?: string;
  /** the module is not published yet and lives outside this repository: issue its first key anyway */
  newModule?: boolean;
}

/** A team key is for a module the platform knows (a typo would make a key that publishes a new, unknown module). */
export async function assertKnownModule(state: Pick<ModuleStore, 'listModuleVersions'>, name: string, newModule = false): Promise<void> {
  const { MODULES_DIR } = await import('./build-web.ts');
  const inRepository = existsSync(join(MODULES_DIR, name, 'manifest.json'));
  const published = inRepository || (await state.listModuleVersions(name)).length > 0;
  if (newModule && published) throw new Error(`--new-module: the module "${name}" exists already`);
  if (!newModule && !published) {
    throw new Error(`no module "${name}": neither published to the registry nor in microfrontends/ (npm run new-module -- ${name}); for a module built elsewhere that was never published, add --new-module`);
  }
}

/** The instant a key given `--expires` stops working: the end of that day in the city, or the instant given. */
export function expiryOf(value: string, nowMs: number): string {
  const cityOffset = `+${String(CITY_UTC_OFFSET_MINUTES / 60).padStart(2, '0')}:00`;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseTimestamp(`${value}T00:00:00${cityOffset}`) + 86_400_000 : parseTimestamp(value);
  if (Number.isNaN(ms)) throw new Error(`--expires "${value}" is neither a date (2027-06-30) nor an ISO 8601 instant with an offset`);
  if (ms <= nowMs) throw new Error(`--expires ${value} is already past`);
  return new Date(ms).toISOString();
}

const freshSecret = () => `bdtc_${randomBytes(24).toString('base64url')}`;

/** A new secret and the key record to store. */
export function newKey(options: KeyOptions, nowMs = Date.now()): { secret: string; key: IngestKey } {
  if (!options.name?.trim()) throw new Error('--name is required (who the key is for)');
  const scopes = options.scopes ?? [];
  if (options.module !== undefined && scopes.length) throw new Error('a key is either an ingest key (--scope) or a team key (--module), not both');
  if (options.module === undefined && !scopes.length) throw new Error('give --scope UNIT (repeatable) or --module NAME');
  const nameError = options.module === undefined ? null : moduleNameProblem(options.module);
  if (nameError) throw new Error(nameError);
  const secret = freshSecret();
  const key: IngestKey = {
    hash: hashKey(secret), name: options.name.trim(), scopes, ...(options.module ? { modules: [options.module] } : {}),
    createdAt: new Date(nowMs).toISOString(), ...(options.expires ? { expiresAt: expiryOf(options.expires, nowMs) } : {}),
  };
  return { secret, key };
}

export async function addKey(state: KeysDeps, options: KeyOptions, nowMs = Date.now()): Promise<{ secret: string; key: IngestKey }> {
  const made = newKey(options, nowMs);
  if (options.module !== undefined) await assertKnownModule(state, options.module, options.newModule);
  await state.putKey(made.key);
  return made;
}

/** The one key whose id starts with `id` (ids are 12 hex digits; a shorter unambiguous start will do). */
export async function findKey(state: KeysDeps, id: string): Promise<IngestKey> {
  const wanted = id.trim().toLowerCase();
  if (wanted.length < 4) throw new Error('give at least the first 4 characters of the key id (npm run keys -- list)');
  const found = (await state.listKeys()).filter((key) => key.hash.startsWith(wanted));
  if (found.length === 0) throw new Error(`no key with id ${id} (npm run keys -- list)`);
  if (found.length > 1) throw new Error(`${found.length} keys start with ${id}; give more of the id`);
  return found[0];
}

export async function revokeKey(state: KeysDeps, id: string, nowMs = Date.now()): Promise<IngestKey> {
  const key = await findKey(state, id);
  if (key.revokedAt) return key;
  const revoked = { ...key, revokedAt: new Date(nowMs).toISOString() };
  await state.putKey(revoked);
  return revoked;
}

/** A new secret with the old key's name, scope and modules (and its expiry unless `expires` is given); the old key is revoked. */
export async function rotateKey(state: KeysDeps, id: string, options: { expires?: string } = {}, nowMs = Date.now()): Promise<{ secret: string; key: IngestKey; old: IngestKey }> {
  const old = await findKey(state, id);
  if (old.revokedAt) throw new Error(`key ${keyIdOf(old)} is revoked; add a new key instead`);
  const secret = freshSecret();
  const key: IngestKey = {
    ...old, hash: hashKey(secret), createdAt: new Date(nowMs).toISOString(), expiresAt: options.expires ? expiryOf(options.expires, nowMs) : old.expiresAt,
  };
  await state.putKey(key); // the new key first: a failure in between leaves both working, never neither
  return { secret, key, old: await revokeKey(state, keyIdOf(old), nowMs) };
}

/** One line per key, for people: id, status, name, what it may write, dates. */
export function keyLines(keys: IngestKey[], nowMs = Date.now()): string[] {
  const status = (key: IngestKey) => (key.revokedAt ? 'revoked' : keyRefusal(key, nowMs) ? 'expired' : 'active');
  const what = (key: IngestKey) => (key.modules ? `module ${key.modules.join(', ')}` : `units ${key.scopes.join(', ')}`);
  const day = (iso: string | undefined) => iso?.slice(0, 10) ?? '–';
  return [...keys]
    .sort((a, b) => a.name.localeCompare(b.name) || (a.createdAt ?? '').localeCompare(b.createdAt ?? ''))
    .map((key) => [keyIdOf(key), status(key).padEnd(7), key.name, `(${what(key)})`, `created ${day(key.createdAt)}`, `expires ${day(key.expiresAt)}`, ...(key.revokedAt ? [`revoked ${day(key.revokedAt)}`] : [])].join('  '));
}

/** A scoped key's units go into the ingest write's condition, which DynamoDB caps at 4 KB: refuse scopes that cover too many. */
async function checkScopes(scopes: string[]): Promise<void> {
  const { loadCity } = await import('../functions/src/commons/city.ts');
  const city = loadCity();
  const known = new Set(city.units.map((unit) => unit.id));
  const unknown = scopes.filter((id) => !known.has(id));
  if (unknown.length) throw new Error(`unknown unit(s): ${unknown.join(', ')}`);
  const { registryOf, replaceableUnits } = await import('../functions/src/domain/ingest/classify.ts');
  const covered = replaceableUnits(registryOf(city.structure, city.fields.map((field) => field.code)), scopes);
  if (covered && covered.length > MAX_SCOPED_UNITS) {
    throw new Error(`these scopes cover ${covered.length} units; a scoped key may cover at most ${MAX_SCOPED_UNITS} (or the whole registry: give its root)`);
  }
}

/** The state table alone: the key tool needs nothing else (no RECORDS_TABLE, no bucket). */
async function stateStore(values: { endpoint?: string; table?: string }): Promise<{ state: StateStore; table: string }> {
  const { readConfig } = await import('../functions/src/config.ts');
  const { localTableNames } = await import('../functions/src/store/tables.ts');
  const configured = readConfig();
  const endpoint = values.endpoint ?? configured.dynamodb.endpoint;
  const table = values.table ?? configured.tables.state ?? (endpoint ? localTableNames().state : undefined);
  if (!table) throw new Error('which table? --table <StateTableName output> or $STATE_TABLE (locally: --endpoint <DynamoDB Local endpoint printed by npm start>)');
  const { dynamoClient } = await import('../functions/src/store/dynamodb/client.ts');
  const { DynamoStateStore } = await import('../functions/src/store/dynamodb/state-store.ts');
  return { state: new DynamoStateStore(dynamoClient({ ...configured.dynamodb, endpoint }), table), table };
}

const USAGE = `usage: npm run keys -- add --name N (--scope UNIT... | --module NAME [--new-module]) [--expires DATE]
       npm run keys -- list
       npm run keys -- revoke <id>
       npm run keys -- rotate <id> [--expires DATE]
   each with [--endpoint <DynamoDB Local URL>] or [--table <state table>]`;

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      name: { type: 'string' }, scope: { type: 'string', multiple: true }, module: { type: 'string' }, 'new-module': { type: 'boolean' }, expires: { type: 'string' },
      endpoint: { type: 'string' }, table: { type: 'string' },
    },
  });
  const [command, id] = positionals;
  if (!['add', 'list', 'revoke', 'rotate'].includes(command) || ((command === 'revoke' || command === 'rotate') && !id)) throw new Error(USAGE);
  if (command === 'add' && values.scope?.length) await checkScopes(values.scope);
  if (command === 'add') newKey({ name: values.name ?? '', scopes: values.scope, module: values.module, expires: values.expires }); // refuse bad options before touching the table
  const { state, table } = await stateStore(values);

  if (command === 'list') {
    const lines = keyLines(await state.listKeys());
    console.log(lines.length ? lines.join('\n') : `no keys in ${table}`);
    return;
  }
  if (command === 'revoke') {
    const key = await revokeKey(state, id);
    console.error(`Key ${keyIdOf(key)} ("${key.name}") is revoked since ${key.revokedAt}: it gets 401 from now on.`);
    return;
  }
  const { secret, key } =
    command === 'add'
      ? await addKey(state, { name: values.name ?? '', scopes: values.scope, module: values.module, expires: values.expires, newModule: values['new-module'] })
      : await rotateKey(state, id, { expires: values.expires });
  const what = key.modules ? `module ${key.modules[0]}` : `units ${key.scopes.join(', ')}`;
  if (command === 'rotate') console.error(`Key ${id} is revoked; its replacement:`);
  console.error(`Key ${keyIdOf(key)} for "${key.name}" (${what}${key.expiresAt ? `, until ${key.expiresAt}` : ''}) stored as its sha256 in ${table}.`);
  console.error("It is shown once; keep it in the team's secret store:");
  console.log(secret);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
