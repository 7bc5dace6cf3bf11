/**
 * Record types of INDEX-766.md § Record types: the unit registry and the three kinds of source
 * records (procedure, dossier, feedback), as TypeScript types and strict zod 4 schemas.
 *
 * `validateRecord` checks the SHAPE of one record (types, dates with an offset, counts, date
 * order) and, given the server's clock, that nothing it says has happened lies in the future.
 * Referential rules (the unit exists, the dossier's procedure belongs to the same unit,
 * the ingest key's scope) live in functions/src/domain/ingest.
 */
import { z } from 'zod';
import { parseTimestamp } from './periods.ts';

export type RecordType = 'procedure' | 'dossier' | 'feedback';
export const RECORD_TYPES: readonly RecordType[] = ['procedure', 'dossier', 'feedback'];

export interface LocalizedText {
  vi: string;
  en: string;
}

export interface FieldError {
  /** the field's name (dotted path for nested fields, '' for the record as a whole) */
  field: string;
  message: string;
}

export const ID_MAX_LENGTH = 200;
export const TEXT_MAX_LENGTH = 2000;

// ------------------------------------------------------------------------------------------
// Building blocks
// ------------------------------------------------------------------------------------------

/**
 * What an id or a code may hold: letters (any script, with their combining marks), digits and `. _ - : /`,
 * starting with a letter or digit. No spaces, quotes, markup, control characters or a leading `=`, `+`, `-`, `@`
 * (a spreadsheet formula).
 */
export const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._:\/-]*$/u;
/** Names that mean something to every JavaScript object: never an id or a code, so no lookup can reach a prototype. */
export const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * An id's one spelling: Unicode NFC, so the NFC and NFD spellings of "Phường" (precomposed or with combining
 * marks) name one record, not two.
 */
export const normalizeId = (value: string) => value.normalize('NFC');

const idSchema = z
  .string()
  .min(1)
  .max(ID_MAX_LENGTH)
  .transform(normalizeId)
  .refine((id) => !PROTOTYPE_KEYS.includes(id), { message: 'is a reserved name', abort: true })
  .refine((id) => ID_PATTERN.test(id), { message: 'may hold only letters, digits and . _ - : /, starting with a letter or digit' });
/** True for a well-formed id or code, in NFC (what a record may carry as one). */
export const isValidId = (value: unknown): value is string => typeof value === 'string' && value === normalizeId(value) && idSchema.safeParse(value).success;

const textSchema = z.string().max(TEXT_MAX_LENGTH);
const countSchema = z.number().int().min(0);
const TIMESTAMP_MESSAGE = 'must be an ISO 8601 date-time with an offset, e.g. 2024-03-05T08:30:00+07:00';
const timestampSchema = z.string().refine((s) => !Number.isNaN(parseTimestamp(s)), { message: TIMESTAMP_MESSAGE });
const localizedTextSchema = z.strictObject({ vi: textSchema.min(1), en: textSchema.min(1) });

// ------------------------------------------------------------------------------------------
// Unit (the registry)
// ------------------------------------------------------------------------------------------

export type UnitKind = 'city' | 'department' | 'district' | 'ward';
export const UNIT_KINDS: readonly UnitKind[] = ['city', 'department', 'district', 'ward'];

/** A GeoJSON geometry (Polygon / MultiPolygon), when a city supplies licensed boundaries. */
export interface UnitGeometry {
  type: string;
  coordinates: unknown;
}

export interface Unit {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  name: LocalizedText;
  /** units are ranked only within a peer group */
  peerGroup: string;
  /** ward level: the ward offers electronic certified copies (indicator 4.3) */
  offersElectronicCertifiedCopy: boolean;
  /** approximate centroid [lon, lat] for the tile map */
  centroid?: [number, number];
  geometry?: UnitGeometry;
  /** official administrative code (in Vietnam: Decision 19/2025/QĐ-TTg for the 2025 units, GSO codes before) */
  code?: string;
  /** units of an earlier registry this one took over (`part`: only part of that unit) */
  predecessors?: Predecessor[];
}

export interface Predecessor {
  id: string;
  /** only part of the predecessor was taken (it was split between several successors) */
  part?: boolean;
}

export const unitSchema = z.strictObject({
  id: idSchema,
  parentId: idSchema.nullable(),
  kind: z.enum(['city', 'department', 'district', 'ward']),
  name: localizedTextSchema,
  peerGroup: idSchema,
  offersElectronicCertifiedCopy: z.boolean(),
  centroid: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional(),
  geometry: z.object({ type: z.string().min(1), coordinates: z.unknown() }).optional(),
  code: z.string().regex(/^[0-9A-Za-z.-]{1,20}$/, 'must be an official code of 1 to 20 letters, digits, dots or dashes').optional(),
  predecessors: z.array(z.strictObject({ id: idSchema, part: z.boolean().optional() })).optional(),
});

// ------------------------------------------------------------------------------------------
// Source records
// ------------------------------------------------------------------------------------------

export type OnlineLevel = 'full' | 'partial' | 'none';
export type DossierChannel = 'online' | 'in_person' | 'postal';
export type FeedbackCategory = 'procedure' | 'conduct' | 'other';

export interface Procedure {
  type: 'procedure';
  id: string;
  unitId: string;
  name: string;
  onlineLevel: OnlineLevel;
  feeRequired: boolean;
  onlinePaymentIntegrated: boolean;
  /** issues a written result */
  resultRequired: boolean;
  citizenApplicants: boolean;
  populationDataConnected: boolean;
  announcementDueAt: string | null;
  announcedAt: string | null;
  publicationDueAt: string | null;
  publishedAt: string | null;
  /** 0–7: name, steps, method, dossier, time limit, applicant, agency */
  componentsPublished: number;
  updatedAt: string;
}

export interface Dossier {
  type: 'dossier';
  id: string;
  unitId: string;
  procedureId: string;
  receivedAt: string;
  channel: DossierChannel;
  /** promised return date, already extended by the time the applicant spent supplementing */
  dueAt: string;
  completedAt: string | null;
  supplementRequests: number;
  syncedToNationalPortal: boolean;
  financialObligation: boolean;
  paidOnline: boolean;
  electronicResult: boolean;
  /** inputs and result digitized */
  digitized: boolean;
  reusedDigitizedData: boolean;
  linkedPersonalDataStore: boolean;
  usesPopulationData: boolean;
  /** a complaint or a "dislike" rating */
  citizenComplaint: boolean;
  updatedAt: string;
}

export interface Feedback {
  type: 'feedback';
  id: string;
  /** the handling unit */
  unitId: string;
  /** code from the city's field list (18 in HCMC, one of them `other`) */
  field: string;
  category: FeedbackCategory;
  receivedAt: string;
  dueAt: string;
  resolvedAt: string | null;
  likes: number;
  dislikes: number;
  reComplained: boolean;
  /** where it happened */
  wardId: string | null;
  updatedAt: string;
}

export type SourceRecord = Procedure | Dossier | Feedback;

/**
 * A record withdrawn by its source system (INDEX-766.md § Deleting): it replaces the record like any later
 * copy, counts nowhere, and a still later full copy brings the record back.
 */
export interface Tombstone {
  type: RecordType;
  id: string;
  unitId: string;
  updatedAt: string;
  deleted: true;
}

/** What a source system may send, and what the store holds: a full record or a tombstone. */
export type RecordCopy = SourceRecord | Tombstone;

export const isTombstone = (copy: RecordCopy): copy is Tombstone => (copy as Partial<Tombstone>).deleted === true;

export const procedureSchema = z.strictObject({
  type: z.literal('procedure'),
  id: idSchema,
  unitId: idSchema,
  name: textSchema.min(1),
  onlineLevel: z.enum(['full', 'partial', 'none']),
  feeRequired: z.boolean(),
  onlinePaymentIntegrated: z.boolean(),
  resultRequired: z.boolean(),
  citizenApplicants: z.boolean(),
  populationDataConnected: z.boolean(),
  announcementDueAt: timestampSchema.nullable(),
  announcedAt: timestampSchema.nullable(),
  publicationDueAt: timestampSchema.nullable(),
  publishedAt: timestampSchema.nullable(),
  componentsPublished: z.number().int().min(0).max(7),
  updatedAt: timestampSchema,
});

export const dossierSchema = z.strictObject({
  type: z.literal('dossier'),
  id: idSchema,
  unitId: idSchema,
  procedureId: idSchema,
  receivedAt: timestampSchema,
  channel: z.enum(['online', 'in_person', 'postal']),
  dueAt: timestampSchema,
  completedAt: timestampSchema.nullable(),
  supplementRequests: countSchema,
  syncedToNationalPortal: z.boolean(),
  financialObligation: z.boolean(),
  paidOnline: z.boolean(),
  electronicResult: z.boolean(),
  digitized: z.boolean(),
  reusedDigitizedData: z.boolean(),
  linkedPersonalDataStore: z.boolean(),
  usesPopulationData: z.boolean(),
  citizenComplaint: z.boolean(),
  updatedAt: timestampSchema,
});

export const feedbackSchema = z.strictObject({
  type: z.literal('feedback'),
  id: idSchema,
  unitId: idSchema,
  field: idSchema,
  category: z.enum(['procedure', 'conduct', 'other']),
  receivedAt: timestampSchema,
  dueAt: timestampSchema,
  resolvedAt: timestampSchema.nullable(),
  likes: countSchema,
  dislikes: countSchema,
  reComplained: z.boolean(),
  wardId: idSchema.nullable(),
  updatedAt: timestampSchema,
});

const TOMBSTONE_FIELD_MESSAGE = 'unknown field: a tombstone (deleted: true) holds only type, id, unitId, updatedAt and deleted';

/** A tombstone has exactly these fields: a copy that says `deleted` and anything else is not one. */
export const tombstoneSchema = z.strictObject({
  type: z.enum(['procedure', 'dossier', 'feedback']),
  id: idSchema,
  unitId: idSchema,
  updatedAt: timestampSchema,
  deleted: z.literal(true),
});

// Compile-time proof that the schemas and the interfaces describe the same records.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameProcedure: Same<z.infer<typeof procedureSchema>, Procedure> = true;
const _sameDossier: Same<z.infer<typeof dossierSchema>, Dossier> = true;
const _sameFeedback: Same<z.infer<typeof feedbackSchema>, Feedback> = true;
const _sameUnit: Same<z.infer<typeof unitSchema>, Unit> = true;
const _sameTombstone: Same<z.infer<typeof tombstoneSchema>, Tombstone> = true;
void [_sameProcedure, _sameDossier, _sameFeedback, _sameUnit, _sameTombstone];

export const recordSchemas = {
  procedure: procedureSchema,
  dossier: dossierSchema,
  feedback: feedbackSchema,
} as const;

// ------------------------------------------------------------------------------------------
// Validation with clear, field-named errors
// ------------------------------------------------------------------------------------------

export type ValidationResult<T> = { ok: true; record: T } | { ok: false; errors: FieldError[] };

const EXPECTED_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  tuple: 'an array',
};

type AnyIssue = z.core.$ZodIssue & { input?: unknown };

function issueToErrors(issue: AnyIssue): FieldError[] {
  const field = issue.path.map(String).join('.');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ field: [...issue.path.map(String), key].join('.'), message: 'unknown field' }));
    case 'invalid_type': {
      if (issue.input === undefined) return [{ field, message: 'is required' }];
      const expected = EXPECTED_WORDS[issue.expected] ?? issue.expected;
      return [{ field, message: `must be ${expected}${issue.input === null ? ', not null' : ''}` }];
    }
    case 'too_small':
      if (issue.origin === 'string') {
        return [{ field, message: Number(issue.minimum) <= 1 ? 'must not be empty' : `must have at least ${issue.minimum} characters` }];
      }
      return [{ field, message: `must be ≥ ${issue.minimum}` }];
    case 'too_big':
      if (issue.origin === 'string') return [{ field, message: `must be at most ${issue.maximum} characters` }];
      return [{ field, message: `must be ≤ ${issue.maximum}` }];
    case 'invalid_value':
      return [{ field, message: `must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`}` }];
    default:
      return [{ field, message: issue.message }];
  }
}

function zodErrors(error: z.ZodError): FieldError[] {
  return (error.issues as AnyIssue[]).flatMap(issueToErrors);
}

function notBefore(rec: Record<string, unknown>, later: string, earlier: string, errors: FieldError[]): void {
  const a = rec[later];
  const b = rec[earlier];
  if (typeof a !== 'string' || typeof b !== 'string') return;
  const ta = parseTimestamp(a);
  const tb = parseTimestamp(b);
  if (ta < tb) errors.push({ field: later, message: `must not be before ${earlier}` });
}

/** Cross-field date rules (only meaningful once each date parses). */
function dateOrderErrors(rec: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (rec.type === 'dossier') {
    notBefore(rec, 'dueAt', 'receivedAt', errors);
    notBefore(rec, 'completedAt', 'receivedAt', errors);
  } else if (rec.type === 'feedback') {
    notBefore(rec, 'dueAt', 'receivedAt', errors);
    notBefore(rec, 'resolvedAt', 'receivedAt', errors);
  }
  return errors;
}

/**
 * Dates of what has already happened. A copy dated ahead of the clock cannot be true, and a future
 * `updatedAt` would freeze the record against every real update (the later `updatedAt` wins). Due dates
 * (`dueAt`, `announcementDueAt`, `publicationDueAt`) are promises and may lie ahead.
 */
const PAST_DATE_FIELDS = ['updatedAt', 'receivedAt', 'completedAt', 'resolvedAt', 'announcedAt', 'publishedAt'] as const;
/** How far a source system's clock may run ahead of the server's. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

function futureDateErrors(rec: Record<string, unknown>, now: number): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of PAST_DATE_FIELDS) {
    const value = rec[field];
    const ahead = typeof value === 'string' ? parseTimestamp(value) - now : NaN;
    if (ahead > MAX_CLOCK_SKEW_MS) {
      const clock = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      errors.push({ field, message: `is ${roughDuration(ahead)} ahead of the server's clock (${clock}); at most 5 minutes of clock skew is allowed` });
    }
  }
  return errors;
}

/** "12 min", "3 h", "40 days": enough for a person to see which clock is wrong. */
function roughDuration(ms: number): string {
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 48 * 3_600_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} days`;
}

/**
 * Validates the shape of one copy (a source record, or a tombstone: any object with `deleted`): `{ok: true, record}`
 * or `{ok: false, errors}` with every problem found, each naming its field. Ids and codes come back in NFC. `now`
 * (the server's clock, epoch ms) turns on the rule against future dates; the ingest API always passes it.
 */
export function validateRecord(input: unknown, options: { now?: number } = {}): ValidationResult<RecordCopy> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
  }
  const type = (input as { type?: unknown }).type;
  if (type !== 'procedure' && type !== 'dossier' && type !== 'feedback') {
    return {
      ok: false,
      errors: [{ field: 'type', message: type === undefined ? 'is required (one of "procedure", "dossier", "feedback")' : 'must be one of "procedure", "dossier", "feedback"' }],
    };
  }
  const withdrawn = 'deleted' in input;
  const parsed = (withdrawn ? tombstoneSchema : recordSchemas[type]).safeParse(input, { reportInput: true });
  const errors = parsed.success ? [] : zodErrors(parsed.error);
  // A full record marked deleted would hear "unknown field" for each of its fields: say what a tombstone is.
  if (withdrawn) for (const error of errors) if (error.message === 'unknown field') error.message = TOMBSTONE_FIELD_MESSAGE;
  const failed = new Set(errors.map((e) => e.field));
  const timeErrors = [...dateOrderErrors(input as Record<string, unknown>)];
  if (options.now !== undefined) timeErrors.push(...futureDateErrors(input as Record<string, unknown>, options.now));
  for (const e of timeErrors) {
    if (!failed.has(e.field)) errors.push(e);
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, record: parsed.data as RecordCopy };
}

/** Validates one registry unit (shape only; see `validateRegistry` for the tree rules). */
export function validateUnit(input: unknown): ValidationResult<Unit> {
  const parsed = unitSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error) };
  return { ok: true, record: parsed.data as Unit };
}

export const registrySchema = z.array(unitSchema).superRefine((units, ctx) => {
  for (const e of registryErrors(units as Unit[])) ctx.addIssue({ code: 'custom', path: e.path, message: e.message });
});

function registryErrors(units: readonly Unit[]): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const byId = new Map<string, number>();
  units.forEach((u, i) => {
    if (byId.has(u.id)) out.push({ path: [i, 'id'], message: `duplicate unit id "${u.id}" (also at index ${byId.get(u.id)})` });
    else byId.set(u.id, i);
  });
  units.forEach((u, i) => {
    if (u.parentId !== null && !byId.has(u.parentId)) out.push({ path: [i, 'parentId'], message: `unknown parent unit "${u.parentId}"` });
    if (u.parentId === u.id) out.push({ path: [i, 'parentId'], message: 'a unit cannot be its own parent' });
  });
  // cycles: walk up from every unit; a walk longer than the registry means a cycle
  const reported = new Set<string>();
  for (let i = 0; i < units.length; i++) {
    let cur: Unit | undefined = units[i];
    let steps = 0;
    while (cur && cur.parentId !== null && steps <= units.length) {
      const pi = byId.get(cur.parentId);
      cur = pi === undefined ? undefined : units[pi];
      steps++;
    }
    if (steps > units.length && !reported.has(units[i].id) && units[i].parentId !== units[i].id) {
      out.push({ path: [i, 'parentId'], message: `unit "${units[i].id}" is in (or below) a parent cycle` });
      reported.add(units[i].id);
    }
  }
  return out;
}

/**
 * Validates the whole registry: every unit's shape, unique ids, parents that exist, no cycles.
 * Error fields are `<index>.<field>`, e.g. `3.parentId`.
 */
export function validateRegistry(input: unknown): { ok: true; units: Unit[] } | { ok: false; errors: FieldError[] } {
  if (!Array.isArray(input)) return { ok: false, errors: [{ field: '', message: 'must be an array of units' }] };
  const errors: FieldError[] = [];
  input.forEach((u, i) => {
    const r = validateUnit(u);
    if (!r.ok) for (const e of r.errors) errors.push({ field: e.field ? `${i}.${e.field}` : String(i), message: e.message });
  });
  if (errors.length > 0) return { ok: false, errors };
  const units = input as Unit[];
  for (const e of registryErrors(units)) errors.push({ field: e.path.join('.'), message: e.message });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, units };
}
