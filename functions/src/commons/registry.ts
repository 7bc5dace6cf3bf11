/**
 * The unit registry and the 1022 feedback fields, loaded from config/ (scripts and tests), with the
 * checks that every loader uses (the Lambda bundles get the same files through commons/config.ts).
 *
 * A registry file is `config/units/<name>.json`: `{registry, about, validFrom, validTo, units: Unit[]}`.
 * Callers choose the registry with the env `CITY_REGISTRY` (default `hcmc-2024`), e.g.
 * `loadRegistry(process.env.CITY_REGISTRY)`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateRegistry, type LocalizedText, type Unit } from '../../../shared-types/src/records.ts';

export const DEFAULT_REGISTRY = 'hcmc-2024';
export const CONFIG_DIR = fileURLToPath(new URL('../../../config/', import.meta.url));

export interface FeedbackField extends LocalizedText {
  /** the code carried by Feedback.field */
  code: string;
}

const NAME_RE = /^[a-z0-9][a-z0-9-]*$/;

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Checks a list of units: every unit's shape, unique ids, parents that exist, no cycles
 * (all by `validateRegistry` of shared-types) and exactly one root. Throws an `Error` listing
 * every problem, each as `<where>: <message>`.
 */
export function checkRegistry(input: unknown, source = 'registry'): Unit[] {
  const result = validateRegistry(input);
  if (!result.ok) {
    const lines = result.errors.map((e) => {
      const [index, ...rest] = e.field.split('.');
      const unit = Array.isArray(input) ? (input[Number(index)] as { id?: unknown } | undefined) : undefined;
      const where = unit && typeof unit.id === 'string' ? `unit "${unit.id}"${rest.length ? '.' + rest.join('.') : ''}` : e.field || '(root)';
      return `${where}: ${e.message}`;
    });
    throw new Error(`${source} is invalid:\n  ${lines.join('\n  ')}`);
  }
  const roots = result.units.filter((u) => u.parentId === null);
  if (roots.length !== 1) {
    throw new Error(`${source} is invalid: it must have exactly one root unit (parentId null), found ${roots.length}${roots.length ? ': ' + roots.map((u) => u.id).join(', ') : ''}`);
  }
  return result.units;
}

/** Loads and checks `config/units/<name>.json`. */
export function loadRegistry(name: string = DEFAULT_REGISTRY): Unit[] {
  if (!NAME_RE.test(name)) throw new Error(`unknown registry name "${name}" (expected e.g. hcmc-2024)`);
  const path = `${CONFIG_DIR}units/${name}.json`;
  let doc: unknown;
  try {
    doc = readJson(path);
  } catch (err) {
    throw new Error(`cannot read registry "${name}" (${path}): ${(err as Error).message}`);
  }
  const units = Array.isArray(doc) ? doc : (doc as { units?: unknown } | null)?.units;
  return checkRegistry(units, `registry "${name}"`);
}

/** Loads `config/fields/<name>.json`: the fields of the city's 1022 feedback portal. */
export function loadFeedbackFields(name = 'hcmc-1022'): FeedbackField[] {
  if (!NAME_RE.test(name)) throw new Error(`unknown field list "${name}"`);
  return checkFeedbackFields(readJson(`${CONFIG_DIR}fields/${name}.json`), name);
}

/** Checks a field list document `{fields: [{code, vi, en}]}`: ASCII codes, unique, `other` among them. */
export function checkFeedbackFields(doc: unknown, name = 'field list'): FeedbackField[] {
  const fields = (doc as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields)) throw new Error(`field list "${name}": "fields" must be an array`);
  const seen = new Set<string>();
  for (const [i, f] of fields.entries()) {
    const ok = f && typeof f.code === 'string' && NAME_RE.test(f.code) && typeof f.vi === 'string' && f.vi && typeof f.en === 'string' && f.en;
    if (!ok) throw new Error(`field list "${name}": field ${i} must be {code, vi, en} with an ASCII code`);
    if (seen.has(f.code)) throw new Error(`field list "${name}": duplicate code "${f.code}"`);
    seen.add(f.code);
  }
  if (!seen.has('other')) throw new Error(`field list "${name}": must contain the code "other"`);
  return fields.map((f) => ({ code: f.code, vi: f.vi, en: f.en }));
}
