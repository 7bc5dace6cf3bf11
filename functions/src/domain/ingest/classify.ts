/**
 * What to do with each record of a batch: store it, count it unchanged, or reject it with every
 * error named at once (shape, dates, references, scope, ownership). Pure: the caller supplies what the
 * store already holds and the clock.
 */
import { createHash } from 'node:crypto';
import { MAX_CLOCK_SKEW_MS, RECORD_TYPES, isTombstone, normalizeId, validateRecord, type FieldError, type RecordCopy, type RecordType, type Unit } from '../../../../shared-types/src/records.ts';
import type { RejectedRecord } from '../../../../shared-types/src/snapshots.ts';
import type { RecordVersion, StoredRecord } from '../../store/ports.ts';
import { canonicalJson } from '../engine/index.ts';
import { parseTimestamp } from '../../../../shared-types/src/periods.ts';
import type { RawItem } from './parse-body.ts';
import { acceptsRecordAt, asStructure, datesOf, successorsOf, withinScopes, type Units } from '../structure/structure.ts';

export type Rejection = RejectedRecord;

/** The city's codes a record may name: its units (over time) and its 1022 field codes. */
export interface Registry {
  /** every unit of every registry */
  units: ReadonlyMap<string, Unit>;
  fieldCodes: Set<string>;
  /** True when `unitId` lies in the subtree of one of `scopes`, in any registry. */
  within(unitId: string, scopes: string[]): boolean;
  /** Why a dossier or feedback received at `receivedMs` may not name the unit; undefined when it may. */
  notInForce(unitId: string, receivedMs: number): string | undefined;
}

export function registryOf(units: Units, fieldCodes: string[]): Registry {
  const structure = asStructure(units);
  return {
    units: structure.byId,
    fieldCodes: new Set(fieldCodes),
    within: (unitId, scopes) => withinScopes(structure, unitId, scopes),
    notInForce(unitId, receivedMs) {
      if (acceptsRecordAt(structure, unitId, receivedMs)) return undefined;
      const { validFrom, validTo } = datesOf(structure, unitId);
      const successors = successorsOf(structure, unitId).map((u) => u.id);
      return `unit "${unitId}" is not in force on the day the record was received (it is in force ${validFrom ?? '…'} to ${validTo ?? 'today'})${successors.length ? `; its successors: ${successors.join(', ')}` : ''}`;
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

/** A record's one key, `${type}#${id}`: in the records table, the dirty notes and the counted copies alike. */
export const recordKey = (type: string, id: string) => `${type}#${id}`;

/**
 * The hash covers the content but not `updatedAt`, so two spellings of the same instant
 * ("…+07:00" and "…Z") of an identical record count as a resend, as the engine's latestState does.
 */
export function toStoredRecord(record: RecordCopy): StoredRecord {
  const { updatedAt: _, ...content } = record;
  const body = canonicalJson(record);
  return {
    type: record.type,
    id: record.id,
    unitId: record.unitId,
    updatedAtMs: parseTimestamp(record.updatedAt),
    hash: createHash('sha256').update(canonicalJson(content)).digest('hex'),
    body,
    ...(isTombstone(record) ? { deleted: true as const } : {}),
  };
}

/** One item of a batch after the shape rules: the record when its shape is right, and what was sent either way. */
export interface CheckedItem {
  index: number;
  /** the copy, ids in NFC, when its shape is right */
  record: RecordCopy | null;
  /** the fields as sent ({} when the item is not an object), for the reference rules */
  sent: Record<string, unknown>;
  errors: FieldError[];
}

/** Step 1: shape and date rules, which need nothing from the store; `now` is the server's clock (epoch ms). */
export function validateItems(items: RawItem[], options: { now: number }): CheckedItem[] {
  return items.map((item, index) => {
    if ('parseError' in item) return { index, record: null, sent: {}, errors: [{ field: '(record)', message: item.parseError }] };
    const result = validateRecord(item.value, { now: options.now });
    const sent = item.value !== null && typeof item.value === 'object' && !Array.isArray(item.value) ? (item.value as Record<string, unknown>) : {};
    return result.ok ? { index, record: result.record, sent, errors: [] } : { index, record: null, sent, errors: result.errors };
  });
}

function identify(sent: Record<string, unknown>): { type: RecordType | null; id: string | null } {
  const type = RECORD_TYPES.find((recordType) => recordType === sent.type) ?? null;
  const id = typeof sent.id === 'string' ? sent.id.slice(0, 200) : typeof sent.id === 'number' ? String(sent.id) : null;
  return { type, id };
}

/**
 * A reference field worth checking even in an invalid record: a string whose own shape passed (in NFC, as
 * stored). A record with a wrong `dueAt` still learns that its unit is unknown; a malformed `unitId` is not looked up.
 */
function usableId(item: CheckedItem, field: string): string | undefined {
  const value = item.sent[field];
  return typeof value === 'string' && !item.errors.some((error) => error.field === field) ? normalizeId(value) : undefined;
}

/**
 * The store keys step 2 needs: the procedures that dossiers cite (invalid ones too, to name a foreign
 * procedure). The records' own stored versions are not read up front: the conditional write finds
 * them, so a new record costs one round trip.
 */
export function keysToLookUp(items: CheckedItem[]): string[] {
  const keys = new Set<string>();
  for (const item of items) {
    const procedureId = item.sent.type === 'dossier' ? usableId(item, 'procedureId') : undefined;
    if (procedureId !== undefined) keys.add(recordKey('procedure', procedureId));
  }
  return [...keys];
}

export interface Decision {
  writes: StoredRecord[];
  /**
   * Per record to write: its index in the batch (to report a late conflict against it), and whether it
   * is a dossier whose procedure is neither stored nor in the batch (accepted, and reported `pending`).
   */
  writeIndex: Map<string, { index: number; record: RecordCopy; awaitsProcedure: boolean }>;
  unchanged: number;
  rejected: Rejection[];
}

/** Step 2: referential rules, key scope, ownership and versions, against what the store holds. */
export function decide(input: {
  items: CheckedItem[];
  registry: Registry;
  scopes: string[];
  stored: Map<string, RecordVersion>;
  /** the server's clock, epoch ms */
  now: number;
}): Decision {
  const { registry, scopes, stored, now } = input;
  const rejected: Rejection[] = [];
  const writeIndex: Decision['writeIndex'] = new Map();
  const toWrite = new Map<string, StoredRecord>();
  /** The unit of a procedure stored or in the batch; undefined when there is none (or it was withdrawn). */
  const procedureUnit = (procedureId: string) => {
    const key = recordKey('procedure', procedureId);
    const procedure = toWrite.get(key) ?? stored.get(key);
    return procedure && !procedure.deleted ? procedure.unitId : undefined;
  };
  let unchanged = 0;

  // Procedures first, so a dossier may cite a procedure sent in the same batch.
  const ordered = [...input.items].sort((a, b) => Number(b.sent.type === 'procedure') - Number(a.sent.type === 'procedure'));
  for (const item of ordered) {
    const { index, record } = item;
    const errors = [...item.errors, ...referenceErrors(item, registry, scopes, procedureUnit)];
    if (errors.length > 0 || !record) {
      rejected.push({ index, ...identify(item.sent), errors });
      continue;
    }
    const candidate = toStoredRecord(record);
    const key = recordKey(record.type, record.id);
    const verdict = verdictAgainst(record, candidate, toWrite.get(key) ?? stored.get(key), registry, scopes, now);
    if (verdict === 'unchanged') {
      unchanged += 1;
    } else if (verdict !== 'newer') {
      rejected.push({ index, type: record.type, id: record.id, errors: [verdict] });
    } else {
      if (toWrite.has(key)) unchanged += 1; // the older in-batch copy is superseded, as if it had been sent first
      toWrite.set(key, candidate);
      const awaitsProcedure = record.type === 'dossier' && !isTombstone(record) && procedureUnit(record.procedureId) === undefined;
      writeIndex.set(key, { index, record, awaitsProcedure });
    }
  }

  rejected.sort((a, b) => a.index - b.index);
  return { writes: [...toWrite.values()], writeIndex, unchanged, rejected };
}

/**
 * The latest `updatedAt` a copy may carry at `now`. A stored copy dated later was written before the clock rule
 * (INDEX-766.md § Record types) and would freeze its record against every real update: any valid copy replaces it.
 */
export const latestPossibleUpdate = (now: number) => now + MAX_CLOCK_SKEW_MS;

export function compareVersions(candidate: StoredRecord, current: RecordVersion | undefined, now: number): 'newer' | 'unchanged' | 'conflict' {
  if (!current || candidate.updatedAtMs > current.updatedAtMs || current.updatedAtMs > latestPossibleUpdate(now)) return 'newer';
  if (candidate.updatedAtMs < current.updatedAtMs) return 'unchanged';
  return candidate.hash === current.hash ? 'unchanged' : 'conflict';
}

/**
 * What a copy does against the stored one (INDEX-766.md § Ownership, § Record types): a record held by a unit
 * outside the key's scope is refused, naming the holder, whatever the dates — never `unchanged`, so a squatted id
 * shows at once; otherwise the later `updatedAt` wins (or any copy, over one dated beyond `latestPossibleUpdate`),
 * the same copy again is unchanged, and other content at the same `updatedAt` is a conflict. Used before the write
 * (procedures already read) and after it, for the records the conditional write left alone.
 */
export function verdictAgainst(
  record: RecordCopy,
  candidate: StoredRecord,
  current: RecordVersion | undefined,
  registry: Registry,
  scopes: string[],
  now: number,
): 'newer' | 'unchanged' | FieldError {
  if (current && !registry.within(current.unitId, scopes)) return { field: 'id', message: `held by unit "${current.unitId}" (outside this key's scope)` };
  const verdict = compareVersions(candidate, current, now);
  return verdict === 'conflict' ? conflictError(record.updatedAt) : verdict;
}

export function conflictError(updatedAt: string): FieldError {
  return {
    field: 'updatedAt',
    message: `a different copy of this record with the same updatedAt (${updatedAt}) is already stored; send changes with a later updatedAt`,
  };
}

/**
 * Unit, key scope, procedure and ward, on whatever of them is usable, so an invalid record hears about
 * its references too. A procedure not stored yet is no error: order of arrival is free (the dossier is
 * reported pending); a known procedure of another unit is.
 */
function referenceErrors(
  item: CheckedItem,
  registry: Registry,
  scopes: string[],
  procedureUnit: (procedureId: string) => string | undefined,
): FieldError[] {
  const errors: FieldError[] = [];
  const unitId = usableId(item, 'unitId');
  if (unitId !== undefined && !registry.units.has(unitId)) {
    errors.push({ field: 'unitId', message: `unknown unit "${unitId}"` });
  } else if (unitId !== undefined && !registry.within(unitId, scopes)) {
    errors.push({ field: 'unitId', message: `unit "${unitId}" is outside this key's scope (${scopes.join(', ')})` });
  } else if (unitId !== undefined && (item.sent.type === 'dossier' || item.sent.type === 'feedback') && !('deleted' in item.sent)) {
    // a dossier or feedback names a unit in force when it was received, or a successor (a later copy moved it)
    const received = typeof item.sent.receivedAt === 'string' ? parseTimestamp(item.sent.receivedAt) : NaN;
    const why = Number.isNaN(received) ? undefined : registry.notInForce(unitId, received);
    if (why) errors.push({ field: 'unitId', message: why });
  }
  const procedureId = item.sent.type === 'dossier' ? usableId(item, 'procedureId') : undefined;
  const owner = procedureId === undefined ? undefined : procedureUnit(procedureId);
  if (owner !== undefined && unitId !== undefined && owner !== unitId) {
    errors.push({ field: 'procedureId', message: `procedure "${procedureId}" belongs to unit "${owner}", not "${unitId}"` });
  }
  const wardId = item.sent.type === 'feedback' ? usableId(item, 'wardId') : undefined;
  if (wardId !== undefined && registry.units.get(wardId)?.kind !== 'ward') {
    errors.push({ field: 'wardId', message: `unknown ward "${wardId}"` });
  } else if (wardId !== undefined && !registry.within(wardId, scopes)) {
    errors.push({ field: 'wardId', message: `ward "${wardId}" is outside this key's scope (${scopes.join(', ')})` });
  }
  const field = item.sent.type === 'feedback' ? usableId(item, 'field') : undefined;
  if (field !== undefined && !registry.fieldCodes.has(field)) {
    errors.push({ field: 'field', message: `"${field}" is not in the city's list of 1022 fields` });
  }
  return errors;
}
