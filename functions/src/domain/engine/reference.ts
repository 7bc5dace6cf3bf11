/**
 * A deliberately naive reference implementation of INDEX-766.md, written straight from the text:
 * for each period, for each unit, filter the records of its subtree and count, parsing dates with
 * Date.parse. Slow (periods × units × records); used as the oracle in property tests and as the
 * baseline in bench/engine.bench.ts. Not for production.
 */
import type { MeasureId, MethodTable } from '../../../../shared-types/src/method.ts';
import { parsePeriod } from '../../../../shared-types/src/periods.ts';
import type { Dossier, Feedback, Procedure, RecordCopy, SourceRecord, Unit } from '../../../../shared-types/src/records.ts';
import type { Counts, UnitScore } from '../../../../shared-types/src/scores.ts';
import { canonicalJson } from './latest-state.ts';
import { scorePeriod } from './score.ts';

const t = (s: string): number => Date.parse(s);

function subtree(units: readonly Unit[], rootId: string): Set<string> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) {
      if (u.parentId !== null && ids.has(u.parentId) && !ids.has(u.id)) {
        ids.add(u.id);
        grew = true;
      }
    }
  }
  return ids;
}

/** Pooled counts of one unit's subtree for one period, the slow and obvious way (latest-state records). */
export function referenceCounts(units: readonly Unit[], latestRecords: readonly SourceRecord[], unitId: string, period: string, asOf: string): Counts {
  const { start, end: periodEnd } = parsePeriod(period);
  // The evaluation instant: a complete period is judged at its end, the ongoing one at asOf.
  const end = Math.min(periodEnd, t(asOf));
  const tree = subtree(units, unitId);
  const known = new Set(units.map((u) => u.id));
  const latest = latestRecords.filter((r) => known.has(r.unitId));
  const procs = latest.filter((r): r is Procedure => r.type === 'procedure');
  const procById = new Map(procs.map((p) => [p.id, p]));
  // A dossier's procedure is its own unit's (a procedure of another unit never counts for it).
  const procedureOf = (d: Dossier): Procedure | undefined => {
    const p = procById.get(d.procedureId);
    return p?.unitId === d.unitId ? p : undefined;
  };
  const dossiers = latest.filter((r): r is Dossier => r.type === 'dossier');
  const feedback = latest.filter((r): r is Feedback => r.type === 'feedback');
  const c: Record<MeasureId, number> = Object.create(null);
  const inc = (m: MeasureId, yes: boolean | number = true): void => {
    c[m] = (c[m] ?? 0) + (yes ? 1 : 0);
  };
  const inP = (x: string | null): boolean => x !== null && t(x) >= start && t(x) < end;

  const wards = units.filter((u) => tree.has(u.id) && u.kind === 'ward');
  for (const w of wards) {
    inc('wards');
    inc('wardsOfferingCopies', w.offersElectronicCertifiedCopy);
  }

  const myProcs = procs.filter((p) => tree.has(p.unitId));
  for (const p of myProcs) {
    inc('procedures');
    inc('proceduresPublishedInFull', p.componentsPublished === 7);
    inc('proceduresFeeBearing', p.feeRequired);
    inc('proceduresPaymentIntegrated', p.feeRequired && p.onlinePaymentIntegrated);
    inc('proceduresCitizen', p.citizenApplicants);
    inc('proceduresPopulationDataConnected', p.citizenApplicants && p.populationDataConnected);
    if (inP(p.announcementDueAt)) {
      inc('proceduresAnnouncementDue');
      inc('proceduresAnnouncedOnTime', p.announcedAt !== null && t(p.announcedAt) <= t(p.announcementDueAt!));
    }
    if (inP(p.publicationDueAt)) {
      inc('proceduresPublicationDue');
      inc('proceduresPublishedOnTime', p.publishedAt !== null && t(p.publishedAt) <= t(p.publicationDueAt!));
    }
  }

  const belongs = (received: string, finished: string | null): boolean =>
    t(received) < end && (finished === null || t(finished) >= start);
  const onTimeIn = (finished: string | null, due: string): boolean =>
    finished !== null && t(finished) < end ? t(finished) <= t(due) : t(due) >= end;

  const paidProcs = new Set<string>();
  for (const d of dossiers) {
    if (!tree.has(d.unitId) || !belongs(d.receivedAt, d.completedAt)) continue;
    const proc = procedureOf(d);
    const onTime = d.supplementRequests <= 1 && onTimeIn(d.completedAt, d.dueAt);
    inc('dossiers');
    inc('dossiersOnTime', onTime);
    inc('dossiersOverdue', !onTime);
    inc('dossiersSynced', d.syncedToNationalPortal);
    inc('dossiersFullOnlineEligible', proc?.onlineLevel === 'full');
    inc('dossiersFullOnline', proc?.onlineLevel === 'full' && d.channel === 'online');
    inc('dossiersFinancialObligation', d.financialObligation);
    inc('dossiersPaidOnline', d.financialObligation && d.paidOnline);
    inc('dossiersDigitized', d.digitized);
    inc('dossiersLinkedPersonalDataStore', d.linkedPersonalDataStore);
    inc('dossiersUsesPopulationData', d.usesPopulationData);
    inc('dossiersSatisfied', onTime && !d.citizenComplaint);
    if (inP(d.receivedAt)) {
      inc('dossiersReceived');
      inc('dossiersReceivedReusedData', d.reusedDigitizedData);
    }
    if (inP(d.completedAt)) {
      inc('dossiersCompleted');
      inc('dossiersCompletedResultRequired', proc?.resultRequired === true);
      inc('dossiersElectronicResult', proc?.resultRequired === true && d.electronicResult);
    }
    if (d.paidOnline && proc?.feeRequired) paidProcs.add(proc.id);
  }
  for (const id of paidProcs) inc('proceduresPaidOnlineInPeriod', tree.has(procById.get(id)!.unitId));

  for (const f of feedback) {
    if (!tree.has(f.unitId) || !belongs(f.receivedAt, f.resolvedAt)) continue;
    const onTime = onTimeIn(f.resolvedAt, f.dueAt);
    inc('feedback');
    inc('feedbackOnTime', onTime);
    inc('feedbackOverdue', !onTime);
    inc('feedbackSatisfied', onTime && !(f.dislikes > f.likes || f.reComplained));
    inc('feedbackReceived', inP(f.receivedAt));
    inc('feedbackResolved', inP(f.resolvedAt));
    inc('feedbackResolvedOnTime', inP(f.resolvedAt) && t(f.resolvedAt!) <= t(f.dueAt));
    inc('feedbackOpen', f.resolvedAt === null || t(f.resolvedAt) >= end);
  }
  return c;
}

/**
 * Per (type, id) the copy with the latest updatedAt (among copies of one instant, the greatest canonical JSON,
 * as the engine chooses), then the withdrawn records (a tombstone latest) left out: INDEX-766.md § Deleting.
 */
function latestLiveRecords(records: readonly RecordCopy[]): SourceRecord[] {
  const latest = new Map<string, RecordCopy>();
  for (const r of records) {
    const key = `${r.type}|${r.id}`;
    const known = latest.get(key);
    const later = !known || t(r.updatedAt) > t(known.updatedAt) || (t(r.updatedAt) === t(known.updatedAt) && canonicalJson(r) > canonicalJson(known));
    if (later) latest.set(key, r);
  }
  return [...latest.values()].filter((r): r is SourceRecord => !('deleted' in r));
}

/** Scores every unit for every period with the reference counts. */
export function referenceScoreAll(input: {
  units: readonly Unit[];
  records: readonly RecordCopy[];
  periods: readonly string[];
  method: MethodTable;
  asOf: string;
}): UnitScore[] {
  const out: UnitScore[] = [];
  const latest = latestLiveRecords(input.records);
  for (const period of input.periods) {
    const pooled = new Map(input.units.map((u) => [u.id, referenceCounts(input.units, latest, u.id, period, input.asOf)]));
    out.push(...scorePeriod({ units: input.units, period, pooled, method: input.method, asOf: input.asOf }));
  }
  return out;
}
