/**
 * What to do with each record of a batch: store it, count it unchanged, or reject it with the
 * fields named. Pure: the caller supplies what the store already holds.
 */
import { createHash } from 'node:crypto';
import { validateRecord, type FieldError, type SourceRecord, type Unit } from '../../../../shared-types/src/records.ts';
import type { RecordVersion, StoredRecord } from '../../store/ports.ts';
import { canonicalJson } from '../engine/index.ts';
import { parseTimestamp } from '../../../../shared-types/src/periods.ts';
import type { RawItem } from './parse-body.ts';

export interface Rejection {
  index: number;
  type: string | null;
  id: string | null;
  errors: FieldError[];
}

export interface Registry {
  units: Map<string, Unit>;
  /** True when `unitId` lies in the subtree of one of `scopes`. */
  within(unitId: string, scopes: string[]): boolean;
}

export function registryOf(units: Unit[]): Registry {
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  return {
    units: byId,
    within(unitId, scopes) {
      for (let unit = byId.get(unitId); unit; unit = unit.parentId ? byId.get(unit.parentId) : undefined) {
        if (scopes.includes(unit.id)) return true;
      }
      return false;
    },
  };
}

/**
 * The units whose stored records a key may replace: its subtrees, so that a district's key cannot take
 * over another district's record by sending its id with a unit of its own. Undefined when that is every unit.
 */
export function replaceableUnits(registry: Registry, scopes: string[]): string[] | undefined {
  const units = [...registry.units.keys()].filter((unitId) => registry.within(unitId, scopes));
  return units.length === registry.units.size ? undefined : units;
}

export const recordKey = (type: string, id: string) => `${type}#${id}`;

/**
 * The hash covers the content but not `updatedAt`, so two spellings of the same instant
 * ("…+07:00" and "…Z") of an identical record count as a resend, as the engine's latestState does.
 */
export function toStoredRecord(record: SourceRecord): StoredRecord {
  const { updatedAt: _, ...content } = record;
  const body = canonicalJson(record);
  return {
    type: record.type,
    id: record.id,
    unitId: record.unitId,
    updatedAtMs: parseTimestamp(record.updatedAt),
    hash: createHash('sha256').update(canonicalJson(content)).digest('hex'),
    body,
  };
}

export interface ValidatedBatch {
  valid: { index: number; record: SourceRecord }[];
  rejected: Rejection[];
}

/** Step 1: shape rules, which need nothing from the store. */
export function validateItems(items: RawItem[]): ValidatedBatch {
  const valid: ValidatedBatch['valid'] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    if ('parseError' in item) {
      rejected.push({ index, type: null, id: null, errors: [{ field: '(record)', message: item.parseError }] });
      return;
    }
    const result = validateRecord(item.value);
    if (result.ok) valid.push({ index, record: result.record });
    else rejected.push({ index, ...identify(item.value), errors: result.errors });
  });
  return { valid, rejected };
}

function identify(value: unknown): { type: string | null; id: string | null } {
  const asText = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : typeof v === 'number' ? String(v) : null);
  const object = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return { type: asText(object.type), id: asText(object.id) };
}

/**
 * The store keys step 2 needs: the procedures that dossiers cite. The records' own stored versions
 * are not read up front: the conditional write finds them, so a new record costs one round trip.
 */
export function keysToLookUp(batch: ValidatedBatch): string[] {
  const keys = new Set<string>();
  for (const { record } of batch.valid) if (record.type === 'dossier') keys.add(recordKey('procedure', record.procedureId));
  return [...keys];
}

export interface Decision {
  writes: StoredRecord[];
  /** Index in the batch of each record to write, to report a late conflict against it. */
  writeIndex: Map<string, { index: number; record: SourceRecord }>;
  unchanged: number;
  rejected: Rejection[];
}

/** Step 2: referential rules, key scope and versions, against what the store holds. */
export function decide(input: {
  batch: ValidatedBatch;
  registry: Registry;
  scopes: string[];
  stored: Map<string, RecordVersion>;
}): Decision {
  const { registry, scopes, stored } = input;
  const rejected = [...input.batch.rejected];
  const writeIndex = new Map<string, { index: number; record: SourceRecord }>();
  const pending = new Map<string, StoredRecord>();
  const procedureUnit = (procedureId: string) => {
    const key = recordKey('procedure', procedureId);
    return pending.get(key)?.unitId ?? stored.get(key)?.unitId;
  };
  let unchanged = 0;

  // Procedures first, so a dossier may cite a procedure sent in the same batch.
  const ordered = [...input.batch.valid].sort((a, b) => Number(b.record.type === 'procedure') - Number(a.record.type === 'procedure'));
  for (const { index, record } of ordered) {
    const errors = referenceErrors(record, registry, scopes, procedureUnit);
    if (errors.length > 0) {
      rejected.push({ index, type: record.type, id: record.id, errors });
      continue;
    }
    const candidate = toStoredRecord(record);
    const key = recordKey(record.type, record.id);
    const current = pending.get(key) ?? stored.get(key);
    const verdict = compareVersions(candidate, current);
    if (verdict === 'conflict') {
      rejected.push({ index, type: record.type, id: record.id, errors: [conflictError(record.updatedAt)] });
    } else if (verdict === 'unchanged') {
      unchanged += 1;
    } else {
      if (pending.has(key)) unchanged += 1; // the older in-batch copy is superseded, as if it had been sent first
      pending.set(key, candidate);
      writeIndex.set(key, { index, record });
    }
  }

  rejected.sort((a, b) => a.index - b.index);
  return { writes: [...pending.values()], writeIndex, unchanged, rejected };
}

export function compareVersions(candidate: StoredRecord, current: RecordVersion | undefined): 'newer' | 'unchanged' | 'conflict' {
  if (!current || candidate.updatedAtMs > current.updatedAtMs) return 'newer';
  if (candidate.updatedAtMs < current.updatedAtMs) return 'unchanged';
  return candidate.hash === current.hash ? 'unchanged' : 'conflict';
}

/**
 * Step 3, for the records the conditional write left alone: what the store holds now says why. An older
 * stored copy was left alone only because it lies outside the key's scope.
 */
export function lateVerdict(record: SourceRecord, candidate: StoredRecord, current: RecordVersion | undefined, scopes: string[]): 'unchanged' | FieldError {
  const verdict = compareVersions(candidate, current);
  if (verdict === 'unchanged') return 'unchanged';
  if (verdict === 'conflict') return conflictError(record.updatedAt);
  return { field: 'id', message: `a record with this id is stored under unit "${current?.unitId}", outside this key's scope (${scopes.join(', ')})` };
}

export function conflictError(updatedAt: string): FieldError {
  return {
    field: 'updatedAt',
    message: `a different copy of this record with the same updatedAt (${updatedAt}) is already stored; send changes with a later updatedAt`,
  };
}

function referenceErrors(
  record: SourceRecord,
  registry: Registry,
  scopes: string[],
  procedureUnit: (procedureId: string) => string | undefined,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!registry.units.has(record.unitId)) {
    errors.push({ field: 'unitId', message: `unknown unit "${record.unitId}"` });
  } else if (!registry.within(record.unitId, scopes)) {
    errors.push({ field: 'unitId', message: `unit "${record.unitId}" is outside this key's scope (${scopes.join(', ')})` });
  }
  if (record.type === 'dossier') {
    const owner = procedureUnit(record.procedureId);
    if (owner === undefined) errors.push({ field: 'procedureId', message: `unknown procedure "${record.procedureId}"; send the procedure first or in the same batch` });
    else if (owner !== record.unitId) errors.push({ field: 'procedureId', message: `procedure "${record.procedureId}" belongs to unit "${owner}", not "${record.unitId}"` });
  }
  if (record.type === 'feedback' && record.wardId !== null) {
    const ward = registry.units.get(record.wardId);
    if (!ward || ward.kind !== 'ward') errors.push({ field: 'wardId', message: `unknown ward "${record.wardId}"` });
  }
  return errors;
}
