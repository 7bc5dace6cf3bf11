/**
 * A city is one folder of data, `config/cities/<city>/` (docs/CITIES.md):
 *
 *   city.json            name, time zone, locales, first month, peer groups (labels vi/en, display order),
 *                        the field list's file and the methods with the month each becomes active
 *   registries/*.json    unit registries, each in force for its dates ({registry, about, checked, validFrom, validTo, units})
 *   fields-*.json        the city's 1022 feedback fields ({fields: [{code, vi, en}]})
 *   methods/<id>.json    method tables (INDEX-766.md), validated at load
 *
 * `loadCity` is the one loader: every function, script, the local stack and the CDK app call it. `CITY` names
 * the folder under `config/cities/` (default `hcmc`) or is a path to a city folder (config.ts); a function is
 * given its city by its runtime, a tool that names none gets `cityOf()`. The Lambda bundles carry the
 * `config/` folder beside their code (infra/lib/app-function.ts), so the functions read the same files.
 * Loading a city makes its time zone the process's (a process serves one city).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { validateMethod, type MethodTable } from '../../../shared-types/src/method.ts';
import { isPeriod, monthIndexOf, parsePeriod, useCityTimeZone } from '../../../shared-types/src/periods.ts';
import { validateRegistry, type LocalizedText, type Unit } from '../../../shared-types/src/records.ts';
import type { FeedbackFieldDef } from '../../../shared-types/src/snapshots.ts';
import { structureOf, type Registry, type Structure } from '../domain/structure/structure.ts';
import { cityOf } from '../config.ts';

/** The methods of a city, each from the first month it is active (ascending). */
export type MethodSchedule = readonly { activeFrom: string; method: MethodTable }[];

export interface PeerGroupDef {
  id: string;
  name: LocalizedText;
}

export interface City {
  /** the folder's name */
  id: string;
  name: LocalizedText;
  /** IANA time zone: periods start at local midnight there */
  timeZone: string;
  locales: string[];
  /** first month scored, `YYYY-MM` */
  firstMonth: string;
  /** display order and labels */
  peerGroups: PeerGroupDef[];
  registries: Registry[];
  structure: Structure;
  /** every unit of every registry once (the latest attributes): `structure.units` */
  units: readonly Unit[];
  fields: FeedbackFieldDef[];
  methods: MethodSchedule;
}

const ID = /^[a-z0-9][a-z0-9-]*$/;
const localized = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

const cityFileSchema = z.strictObject({
  $comment: z.string().optional(),
  name: localized,
  timeZone: z.string().min(1),
  locales: z.array(z.enum(['vi', 'en'])).min(1),
  firstMonth: month,
  fields: z.string().regex(/^[a-z0-9][a-z0-9.-]*\.json$/, 'must be a file name in the city folder, e.g. fields-1022.json'),
  methods: z.array(z.strictObject({ id: z.string().regex(ID, 'must be a method id such as 766-v1'), activeFrom: month })).min(1),
  peerGroups: z.array(z.strictObject({ id: z.string().regex(ID), name: localized })).min(1),
});

const registryFileSchema = z.strictObject({
  registry: z.string().regex(ID, 'must be a name of lower-case letters, digits and dashes'),
  about: z.string().optional(),
  checked: z.string().optional(),
  validFrom: date.nullable(),
  validTo: date.nullable(),
  demoVolume: z.number().positive().optional(),
  units: z.array(z.unknown()),
});

const fieldsFileSchema = z.strictObject({
  about: z.string().optional(),
  fields: z.array(z.strictObject({ code: z.string().regex(ID, 'must be an ASCII code'), vi: z.string().min(1), en: z.string().min(1) })),
});

/** `config/cities/`: beside the bundle in a Lambda function, else at the repository's root. */
export function citiesDir(): string {
  const bundled = fileURLToPath(new URL('./config/cities/', import.meta.url));
  return existsSync(bundled) ? bundled : fileURLToPath(new URL('../../../config/cities/', import.meta.url));
}

/** The folder of a city: a name under `config/cities/`, or a path. */
export function cityDir(city: string = cityOf()): string {
  if (city.includes('/') || isAbsolute(city)) return resolve(city);
  if (!ID.test(city)) throw new Error(`unknown city "${city}" (expected a folder name under config/cities/, e.g. hcmc, or a path)`);
  return join(citiesDir(), city);
}

/** Every problem of one file at once, each as `<file>: <where>: <message>`. */
class CityError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file} is invalid:\n  ${problems.join('\n  ')}`);
  }
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not JSON: ${(err as Error).message}`);
  }
}

function parseFile<T>(path: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(readJson(path));
  if (!parsed.success) throw new CityError(path, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return parsed.data;
}

/**
 * Checks one registry's units: every unit's shape, unique ids, parents that exist, no cycles, exactly one root.
 * Throws an Error naming the file and, for each problem, the unit.
 */
export function checkRegistry(input: unknown, source = 'registry'): Unit[] {
  const result = validateRegistry(input);
  if (!result.ok) {
    throw new CityError(source, result.errors.map((e) => {
      const [index, ...rest] = e.field.split('.');
      const unit = Array.isArray(input) ? (input[Number(index)] as { id?: unknown } | undefined) : undefined;
      const where = unit && typeof unit.id === 'string' ? `unit "${unit.id}"${rest.length ? '.' + rest.join('.') : ''}` : e.field || '(root)';
      return `${where}: ${e.message}`;
    }));
  }
  const roots = result.units.filter((u) => u.parentId === null);
  if (roots.length !== 1) throw new CityError(source, [`it must have exactly one root unit (parentId null), found ${roots.length}${roots.length ? ': ' + roots.map((u) => u.id).join(', ') : ''}`]);
  return result.units;
}

/** Reads one registry file. */
export function loadRegistryFile(path: string): Registry {
  const doc = parseFile(path, registryFileSchema);
  return { ...doc, about: doc.about, checked: doc.checked, units: checkRegistry(doc.units, path) };
}

/** Reads a field list file: ASCII codes, unique, `other` among them. */
export function loadFieldsFile(path: string): FeedbackFieldDef[] {
  const { fields } = parseFile(path, fieldsFileSchema);
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const f of fields) {
    if (seen.has(f.code)) problems.push(`duplicate code "${f.code}"`);
    seen.add(f.code);
  }
  if (!seen.has('other')) problems.push('must contain the code "other"');
  if (problems.length > 0) throw new CityError(path, problems);
  return fields.map(({ code, vi, en }) => ({ code, name: { vi, en } }));
}

/** Reads a method table file, checked by `validateMethod` (shape, sums, bands). */
export function loadMethodFile(path: string, id: string): MethodTable {
  const result = validateMethod(readJson(path));
  if (!result.ok) throw new CityError(path, result.errors.map((e) => `${e.field || '(root)'}: ${e.message}`));
  if (result.method.id !== id) throw new CityError(path, [`id: is "${result.method.id}", but the file is named for "${id}"`]);
  return result.method;
}

const cache = new Map<string, City>();

/** Loads (once per process) and checks the city's folder; throws an Error naming the file and field at fault. */
export function loadCity(city: string = cityOf()): City {
  const dir = cityDir(city);
  const cached = cache.get(dir);
  if (cached) {
    useCityTimeZone(cached.timeZone);
    return cached;
  }
  if (!existsSync(join(dir, 'city.json'))) throw new Error(`unknown city "${city}": ${join(dir, 'city.json')} does not exist`);
  const file = parseFile(join(dir, 'city.json'), cityFileSchema);
  useCityTimeZone(file.timeZone);
  const registryDir = join(dir, 'registries');
  const names = existsSync(registryDir) ? readdirSync(registryDir).filter((name) => name.endsWith('.json')).sort() : [];
  if (names.length === 0) throw new Error(`city "${city}": no registry in ${registryDir}`);
  const registries = names.map((name) => loadRegistryFile(join(registryDir, name)));
  const structure = structureOf(registries);
  const methods = file.methods
    .map(({ id, activeFrom }) => ({ activeFrom, method: loadMethodFile(join(dir, 'methods', `${id}.json`), id) }))
    .sort((a, b) => (a.activeFrom < b.activeFrom ? -1 : 1));
  if (methods[0].activeFrom > file.firstMonth) throw new CityError(join(dir, 'city.json'), [`methods: none is active in the first month ${file.firstMonth}`]);
  const peerGroups = new Set(file.peerGroups.map((g) => g.id));
  const unlabelled = [...new Set(structure.units.map((u) => u.peerGroup))].filter((g) => !peerGroups.has(g));
  if (unlabelled.length > 0) throw new CityError(join(dir, 'city.json'), [`peerGroups: no label for ${unlabelled.map((g) => `"${g}"`).join(', ')} (used by the registries)`]);
  const loaded: City = {
    id: dir.split('/').filter(Boolean).at(-1)!,
    name: file.name,
    timeZone: file.timeZone,
    locales: file.locales,
    firstMonth: file.firstMonth,
    peerGroups: file.peerGroups,
    registries,
    structure,
    units: structure.units,
    fields: loadFieldsFile(join(dir, file.fields)),
    methods,
  };
  cache.set(dir, loaded);
  return loaded;
}

/**
 * The method that scores a period: the one active in the period's first month (a period is never judged by a
 * method that became active after it began); a period that begins before the first method (the year of a first
 * month in mid-year) is scored with the first.
 */
export function methodFor(methods: MethodSchedule, period: string): MethodTable {
  if (!isPeriod(period)) throw new Error(`"${period}" is not a period`);
  if (methods.length === 0) throw new Error('no method is configured');
  const first = monthIndexOf(parsePeriod(period).start);
  let found = methods[0].method;
  for (const { activeFrom, method } of methods) if (monthIndexOf(parsePeriod(activeFrom).start) <= first) found = method;
  return found;
}

/** A schedule of one method for every period (tests, the worked example). */
export const onlyMethod = (method: MethodTable): MethodSchedule => [{ activeFrom: '0001-01', method }];

/** A string that changes when any method or its activation changes: the scorer then scores every period again. */
export const methodsSignature = (methods: MethodSchedule): string => JSON.stringify(methods.map(({ activeFrom, method }) => [activeFrom, method]));

/** The units of one of the city's registries, by its name (e.g. `hcmc-2024`). */
export function loadRegistry(name: string, city: string = cityOf()): Unit[] {
  const found = loadCity(city).registries.find((registry) => registry.registry === name);
  if (!found) throw new Error(`city "${city}" has no registry "${name}" (it has ${loadCity(city).registries.map((r) => r.registry).join(', ')})`);
  return found.units;
}
