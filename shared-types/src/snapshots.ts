/**
 * Bodies of the published snapshots under /data and of the API replies (docs/CONTRACTS.md).
 */
import type { FieldError, LocalizedText, RecordCopy, RecordType, Unit } from './records.ts';
import type { MethodTable } from './method.ts';
import type { UnitScore } from './scores.ts';

// ------------------------------------------------------------------------------------------
// /data snapshots
// ------------------------------------------------------------------------------------------

/** /data/latest.json, polled by open dashboards */
export interface LatestSnapshot {
  asOf: string;
  method: string;
  periods: string[];
  /** the newest month scored: the ongoing one while it lasts (provisional) */
  latestPeriod: string;
  /** the last complete month (what the site, a bare embed and a bare download open on); latestPeriod when none is complete */
  defaultPeriod: string;
  /** the periods of `periods` still ongoing at asOf (month, quarter, year): their numbers are provisional */
  provisionalPeriods: string[];
  /** snapshot paths (or period ids) that changed since the previous publish */
  changed: string[];
}

/** /data/units.json */
export interface UnitsSnapshot {
  asOf: string;
  /** the city: its name, time zone and peer groups (labels, display order) */
  city?: { name: LocalizedText; timeZone: string; peerGroups: { id: string; name: LocalizedText }[] };
  /** every unit of every registry, with its dates, registry, predecessors and successors */
  units: UnitEntry[];
}

/** A unit as units.json and GET /api/v1/units list it (domain/structure's unitEntries). */
export interface UnitEntry extends Unit {
  /** the registry its attributes come from */
  registry?: string;
  /** first and last day in force (null: open) */
  validFrom?: string | null;
  validTo?: string | null;
  /** units that name it among their predecessors */
  successors?: string[];
  /** ceased during the period asked for (GET /api/v1/units?period=) */
  retired?: true;
}

/** /data/method.json */
export type MethodSnapshot = MethodTable;

/** One field of the city's 1022 field list. */
export interface FeedbackFieldDef {
  code: string;
  name: LocalizedText;
}

/** /data/fields.json */
export interface FieldsSnapshot {
  asOf?: string;
  fields: FeedbackFieldDef[];
}

/** /data/scores/{period}.json and GET /api/v1/scores */
export interface ScoresSnapshot {
  period: string;
  method: string;
  asOf: string;
  /** asOf < end of the period: every score in it is provisional */
  provisional: boolean;
  scores: UnitScore[];
}

/** One unit's line of /data/rankings/{period}.json: what a ranking shows, no indicators. */
export type RankingEntry = Pick<UnitScore, 'unitId' | 'peerGroup' | 'rank' | 'total' | 'band' | 'retired'>;

/** /data/rankings/{period}.json: the compact ranking (≈ 1/10 of the scores snapshot), for rankings and maps */
export interface RankingsSnapshot {
  period: string;
  method: string;
  asOf: string;
  provisional: boolean;
  scores: RankingEntry[];
}

/** The rankings snapshot of a scores snapshot (what the publisher writes beside it). */
export function rankingsOf({ period, method, asOf, provisional, scores }: ScoresSnapshot): RankingsSnapshot {
  return { period, method, asOf, provisional, scores: scores.map(({ unitId, peerGroup, rank, total, band, retired }) => ({ unitId, peerGroup, rank, total, band, ...(retired ? { retired } : {}) })) };
}

/** /data/units/{unitId}.json and GET /api/v1/units/{id}/scores (oldest first) */
export interface UnitHistorySnapshot {
  unitId: string;
  method: string;
  asOf: string;
  history: UnitScore[];
}

/** Figures of the 1022 view for one slice (a field, a handling unit, or everything) in P. */
export interface FeedbackFigures {
  /** feedback in P: received before the end of P and not resolved before its start (5.1's d) */
  inPeriod: number;
  /** received in P */
  received: number;
  /** resolved in P */
  resolved: number;
  /** resolved in P with resolvedAt ≤ dueAt */
  resolvedOnTime: number;
  /** on time in P (5.1's n) */
  onTime: number;
  /** overdue in P (= inPeriod − onTime) */
  overdue: number;
  /** not resolved at the evaluation instant e = min(end, asOf) (= openNotDue + openOverdue) */
  open: number;
  /** open at e and not yet due (dueAt ≥ e): still on time */
  openNotDue: number;
  /** open at e and past its due date (dueAt < e): counted in overdue */
  openOverdue: number;
  /** none of (dislikes > likes, reComplained, overdue) (5.2's n) */
  satisfied: number;
  /** onTime / inPeriod = 5.1's ratio; null when inPeriod = 0 */
  onTimeRate: number | null;
  /** satisfied / inPeriod = 5.2's ratio; null when inPeriod = 0 */
  satisfactionRate: number | null;
}

export interface FeedbackFieldRow extends FeedbackFigures {
  field: string;
  name: LocalizedText | null;
}

export interface FeedbackUnitRow extends FeedbackFigures {
  /** the handling unit (own records, not its subtree) */
  unitId: string;
}

/** /data/feedback/{period}.json and GET /api/v1/feedback */
export interface FeedbackView {
  period: string;
  asOf: string | null;
  /** asOf < end of the period: the figures are provisional */
  provisional: boolean;
  /** the subtree the view is limited to, or null for the whole city */
  unitId: string | null;
  total: FeedbackFigures;
  /** every field of the field list (zeros included), then any other code found, in list order */
  byField: FeedbackFieldRow[];
  /** every handling unit with feedback in P, by unit id */
  byUnit: FeedbackUnitRow[];
}

// ------------------------------------------------------------------------------------------
// API bodies
// ------------------------------------------------------------------------------------------

export interface RejectedRecord {
  index: number;
  type: RecordType | null;
  id: string | null;
  errors: FieldError[];
}

/** 200 reply of POST /api/v1/records */
/** An accepted record that waits for a record it refers to (a dossier sent before its procedure). */
export interface PendingRecord {
  index: number;
  id: string;
  /** the referring field, e.g. `procedureId` */
  field: string;
}

export interface IngestResponse {
  accepted: number;
  unchanged: number;
  rejected: RejectedRecord[];
  /** accepted records whose referenced record is not stored yet; they count in the rules that need it once it arrives */
  pending: PendingRecord[];
  /** Present when the lists were cut short to keep the reply small (see MAX_LISTED in functions/src/domain/ingest/reply.ts): what they leave out. */
  omitted?: { rejected: number; pending: number; message: string };
}

/** GET /api/v1/records/{type}/{id}: the stored copy of a record (a tombstone if it was withdrawn) and who wrote it. */
export interface StoredRecordResponse {
  record: RecordCopy;
  /** the ingest key that wrote the copy (its id and name, never its secret) and when; null for copies older than this rule */
  writtenBy: { keyId: string; keyName: string; at: string } | null;
}

/** GET /api/v1/status */
export interface StatusResponse {
  pending: number;
  lastScoredAt: string | null;
  /** stored dossiers whose procedure has not arrived (as of the last scoring run) */
  awaitingProcedure: number;
}

/** Every error reply: `{error: {code, message, details?}}` */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * Where the publisher writes the pinned copies in the bucket (`data/pins/<pin>/<snapshot path>`, served as
 * `/data/pins/…`); the bucket's lifecycle moves them to cheaper storage and expires them by policy
 * (infra/lib/data-stack.ts, context `pinRetention`; the promise in docs/JOURNALISTS.md).
 */
export const PINS_PREFIX = 'data/pins/';

/**
 * The id of a pinned snapshot: its `asOf` in UTC, to the second (`20241231T170000Z`). Embeds pinned to
 * it read `/data/pins/<pin>/…`, immutable copies the publisher writes beside every snapshot.
 */
export function pinId(asOfOrPin: string): string | null {
  if (/^\d{8}T\d{6}Z$/.test(asOfOrPin)) return asOfOrPin;
  const t = Date.parse(asOfOrPin);
  if (Number.isNaN(t)) return null;
  return new Date(t).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}
