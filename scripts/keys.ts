/**
 * Keys for the ingest API and the module registry. Prints a new random key ONCE and stores only its sha256.
 *
 *   npm run keys -- add --name "District 1 system" --scope q1 [--scope q3 ...]   an ingest key (unit subtrees)
 *   npm run keys -- add --name "overview team" --module overview                  a team key (one micro-frontend)
 *
 * Where: the state table named by $STATE_TABLE (or --table); against the local stack pass its DynamoDB Local
 * endpoint (printed by `npm start`) as --endpoint or $DYNAMODB_ENDPOINT; the table then defaults to local-State.
 * On AWS: credentials from the environment, --table the stack's state table.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isModuleName } from '../functions/src/domain/modules/rules.ts';
import type { IngestKey, StateStore } from '../functions/src/store/ports.ts';

export const MAX_SCOPED_UNITS = 400;

/** A new secret and the key record to store (hash filled in by addKey). */
export function newKey(options: { name: string; scopes?: string[]; module?: string }): { secret: string; key: IngestKey } {
  if (!options.name?.trim()) throw new Error('--name is required (who the key is for)');
  const scopes = options.scopes ?? [];
  if (options.module !== undefined && scopes.length) throw new Error('a key is either an ingest key (--scope) or a team key (--module), not both');
  if (options.module === undefined && !scopes.length) throw new Error('give --scope UNIT (repeatable) or --module NAME');
  if (options.module !== undefined && !isModuleName(options.module)) throw new Error(`"${options.module}" is not a module name`);
  const secret = `bdtc_${randomBytes(24).toString('base64url')}`;
  return { secret, key: { hash: '', name: options.name.trim(), scopes, ...(options.module ? { modules: [options.module] } : {}) } };
}

export async function addKey(state: StateStore, options: { name: string; scopes?: string[]; module?: string }): Promise<{ secret: string; key: IngestKey }> {
  const { hashKey } = await import('../functions/src/services/auth.ts');
  const { secret, key } = newKey(options);
  key.hash = hashKey(secret);
  await state.putKey(key);
  return { secret, key };
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { name: { type: 'string' }, scope: { type: 'string', multiple: true }, module: { type: 'string' }, endpoint: { type: 'string' }, table: { type: 'string' } },
  });
  if (positionals[0] !== 'add') throw new Error('usage: npm run keys -- add --name N (--scope UNIT... | --module NAME) [--endpoint URL] [--table NAME]');
  if (values.endpoint) process.env.DYNAMODB_ENDPOINT = values.endpoint;
  if (values.table) process.env.STATE_TABLE = values.table;
  if (process.env.DYNAMODB_ENDPOINT) process.env.STATE_TABLE ??= 'local-State';
  if (!process.env.STATE_TABLE) throw new Error('which table? --table NAME or $STATE_TABLE (locally: --endpoint <DynamoDB Local endpoint printed by npm start>)');
  if (values.scope?.length) {
    const { cityConfig } = await import('../functions/src/commons/config.ts');
    const known = new Set(cityConfig().units.map((unit) => unit.id));
    const unknown = values.scope.filter((id) => !known.has(id));
    if (unknown.length) throw new Error(`unknown unit(s): ${unknown.join(', ')}`);
    const { registryOf, replaceableUnits } = await import('../functions/src/domain/ingest/classify.ts');
    const covered = replaceableUnits(registryOf(cityConfig().units), values.scope);
    // The ingest write lists a scoped key's units in its condition; DynamoDB caps an expression at 4 KB.
    if (covered && covered.length > MAX_SCOPED_UNITS) {
      throw new Error(`these scopes cover ${covered.length} units; a scoped key may cover at most ${MAX_SCOPED_UNITS} (or the whole registry: give its root)`);
    }
  }
  const { stores } = await import('../functions/src/commons/runtime.ts');
  const { secret, key } = await addKey(stores().state, { name: values.name ?? '', scopes: values.scope, module: values.module });
  console.error(`Key for "${key.name}" (${key.modules ? `module ${key.modules[0]}` : `units ${key.scopes.join(', ')}`}) stored as its sha256 in ${process.env.STATE_TABLE}.`);
  console.error('It is shown once; keep it in the team\'s secret store:');
  console.log(secret);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
