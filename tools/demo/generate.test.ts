import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../shared-types/src/periods.ts';
import { validateRecord, type Dossier, type Feedback, type Procedure, type SourceRecord } from '../../shared-types/src/records.ts';
import { generateDemoData, mulberry32, planDemoData, type DemoOptions, type DemoProgress } from './generate.ts';
import { loadCity, loadRegistry } from '../../functions/src/commons/city.ts';
import { latestState } from '../../functions/src/domain/engine/index.ts';
import { registryOf } from '../../functions/src/domain/ingest/classify.ts';

const units2024 = loadRegistry('hcmc-2024');
const fields = loadCity().fields.map((f) => f.code);
const ts = (s: string) => parseTimestamp(s);

function hashOf(records: Iterable<SourceRecord>): string {
  const h = createHash('sha256');
  for (const r of records) h.update(JSON.stringify(r) + '\n');
  return h.digest('hex');
}

/** 2023-01..2024-01 at the default scale: a whole 2023 plus a carried-over month. */
const opts2023: DemoOptions = { units: units2024, from: '2023-01', to: '2024-01', seed: 42 };
const records = Array.from(generateDemoData(opts2023));
const procedures = records.filter((r): r is Procedure => r.type === 'procedure');
const dossiers = records.filter((r): r is Dossier => r.type === 'dossier');
const feedback = records.filter((r): r is Feedback => r.type === 'feedback');
const AS_OF = ts('2024-02-01T00:00:00+07:00');

describe('mulberry32', () => {
  it('is deterministic and uniform enough', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});

describe('generateDemoData', () => {
  it('is deterministic: same options, same bytes; another seed, other bytes', () => {
    const small: DemoOptions = { units: units2024, from: '2024-05', to: '2024-06', seed: 7 };
    const first = hashOf(generateDemoData(small));
    expect(hashOf(generateDemoData(small))).toBe(first);
    expect(hashOf(generateDemoData({ ...small, seed: 8 }))).not.toBe(first);
    expect(hashOf(generateDemoData({ ...small, seed: '7' }))).toBe(first);
  });

  it('yields what planDemoData announced and reports progress up to the total', () => {
    const plan = planDemoData(opts2023);
    expect(plan).toEqual({ procedures: procedures.length, dossiers: dossiers.length, feedback: feedback.length, total: records.length });
    const seen: DemoProgress[] = [];
    const small: DemoOptions = { units: units2024, from: '2024-05', to: '2024-05', seed: 1, progressEvery: 5000, onProgress: (p) => seen.push(p) };
    const n = Array.from(generateDemoData(small)).length;
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toMatchObject({ done: n, total: n });
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
  });

  it('emits only records valid per validateRecord', () => {
    const invalid = records.map((r) => ({ r, v: validateRecord(r) })).filter(({ v }) => !v.ok);
    expect(invalid.slice(0, 3)).toEqual([]);
  });

  /** Checks every record with plain code and one assertion (expect() per record is slow). */
  function problems(check: (fail: (what: string) => void) => void): string[] {
    const out: string[] = [];
    check((what) => out.length < 5 && out.push(what));
    return out;
  }

  it('is referentially consistent', () => {
    const unitById = new Map(units2024.map((u) => [u.id, u]));
    const procById = new Map(procedures.map((p) => [p.id, p]));
    expect(procById.size).toBe(procedures.length);
    expect(new Set(dossiers.map((d) => d.id)).size).toBe(dossiers.length);
    expect(new Set(feedback.map((f) => f.id)).size).toBe(feedback.length);
    const found = problems((fail) => {
      for (const p of procedures) if (!unitById.has(p.unitId) || unitById.get(p.unitId)!.kind === 'city') fail(`procedure ${p.id}: unit ${p.unitId}`);
      for (const d of dossiers) {
        if (!unitById.has(d.unitId)) fail(`dossier ${d.id}: unknown unit`);
        if (procById.get(d.procedureId)?.unitId !== d.unitId) fail(`dossier ${d.id}: procedure ${d.procedureId} of another unit`);
      }
      for (const f of feedback) {
        const handler = unitById.get(f.unitId);
        const ward = f.wardId === null ? undefined : unitById.get(f.wardId);
        if (!handler || handler.kind === 'city') fail(`feedback ${f.id}: handler ${f.unitId}`);
        if (!fields.includes(f.field)) fail(`feedback ${f.id}: field ${f.field}`);
        if (f.wardId !== null && ward?.kind !== 'ward') fail(`feedback ${f.id}: wardId ${f.wardId} is not a ward`);
        if (handler?.kind === 'ward' && f.wardId !== handler.id) fail(`feedback ${f.id}: ward-handled but wardId ${f.wardId}`);
        if (handler?.kind === 'district' && ward?.parentId !== handler.id) fail(`feedback ${f.id}: district-handled, ward ${f.wardId} outside it`);
      }
    });
    expect(found).toEqual([]);
  });

  it('keeps dates in order, in +07:00, and nothing after asOf', () => {
    const found = problems((fail) => {
      for (const d of dossiers) {
        if (!d.receivedAt.endsWith('+07:00') || !d.dueAt.endsWith('+07:00')) fail(`dossier ${d.id}: offset`);
        const rec = ts(d.receivedAt);
        if (ts(d.dueAt) < rec) fail(`dossier ${d.id}: dueAt before receivedAt`);
        if (d.completedAt !== null && (ts(d.completedAt) < rec || ts(d.completedAt) > AS_OF)) fail(`dossier ${d.id}: completedAt out of range`);
        // still open at asOf: received recently, or already late
        if (d.completedAt === null && rec < AS_OF - 120 * 86_400_000) fail(`dossier ${d.id}: open for more than 120 days`);
        if (ts(d.updatedAt) < rec || ts(d.updatedAt) > AS_OF) fail(`dossier ${d.id}: updatedAt out of range`);
      }
      for (const f of feedback) {
        const rec = ts(f.receivedAt);
        if (ts(f.dueAt) < rec) fail(`feedback ${f.id}: dueAt before receivedAt`);
        if (f.resolvedAt !== null && (ts(f.resolvedAt) < rec || ts(f.resolvedAt) > AS_OF)) fail(`feedback ${f.id}: resolvedAt out of range`);
        if (ts(f.updatedAt) < rec || ts(f.updatedAt) > AS_OF) fail(`feedback ${f.id}: updatedAt out of range`);
      }
      for (const p of procedures) if (ts(p.updatedAt) > AS_OF) fail(`procedure ${p.id}: updatedAt after asOf`);
    });
    expect(found).toEqual([]);
    // open and carried-over dossiers exist near `to`; some supplement requests, a few repeated
    expect(dossiers.filter((d) => d.completedAt === null).length).toBeGreaterThan(100);
    expect(dossiers.some((d) => d.supplementRequests >= 2)).toBe(true);
    expect(dossiers.filter((d) => d.supplementRequests > 0).length).toBeGreaterThan(dossiers.length * 0.05);
  });

  it('has ~740 fully online procedures among ~1,900 in the city catalogue (±10%)', () => {
    const unitById = new Map(units2024.map((u) => [u.id, u]));
    // departments own their procedures; districts (and wards) share one catalogue each
    const key = (p: Procedure) => (unitById.get(p.unitId)!.kind === 'department' ? p.id : `${unitById.get(p.unitId)!.kind}:${p.name}`);
    const catalogue = new Map(procedures.map((p) => [key(p), p.onlineLevel]));
    const full = [...catalogue.values()].filter((l) => l === 'full').length;
    expect(full).toBeGreaterThanOrEqual(666);
    expect(full).toBeLessThanOrEqual(814);
    expect(catalogue.size).toBeGreaterThan(1700);
    expect(catalogue.size).toBeLessThan(2100);
  });

  it('feedback handled on time across 2023 ≈ 99.55% city-wide (99.3–99.8%)', () => {
    const start = ts('2023-01-01T00:00:00+07:00');
    const end = ts('2024-01-01T00:00:00+07:00');
    let inP = 0;
    let onTime = 0;
    for (const f of feedback) {
      const rec = ts(f.receivedAt);
      const res = f.resolvedAt === null ? null : ts(f.resolvedAt);
      if (!(rec < end && (res === null || res >= start))) continue;
      inP++;
      const due = ts(f.dueAt);
      if ((res !== null && res < end && res <= due) || ((res === null || res >= end) && due >= end)) onTime++;
    }
    expect(inP).toBeGreaterThan(5000);
    const rate = (100 * onTime) / inP;
    expect(rate).toBeGreaterThanOrEqual(99.3);
    expect(rate).toBeLessThanOrEqual(99.8);
    // all 18 fields occur; likes, dislikes and (rare) re-complaints too
    expect(new Set(feedback.map((f) => f.field)).size).toBe(18);
    expect(feedback.some((f) => f.likes > 0) && feedback.some((f) => f.dislikes > 0)).toBe(true);
    const re = feedback.filter((f) => f.reComplained).length / feedback.length;
    expect(re).toBeGreaterThan(0);
    expect(re).toBeLessThan(0.02);
  });

  it('varies quality between units: some near-perfect, some weak', () => {
    const byUnit = new Map<string, { n: number; late: number }>();
    for (const d of dossiers) {
      const s = byUnit.get(d.unitId) ?? { n: 0, late: 0 };
      s.n++;
      if (d.completedAt === null ? ts(d.dueAt) < AS_OF : ts(d.completedAt) > ts(d.dueAt)) s.late++;
      byUnit.set(d.unitId, s);
    }
    const rates = [...byUnit.values()].filter((s) => s.n >= 40).map((s) => 1 - s.late / s.n);
    expect(rates.filter((r) => r >= 0.97).length).toBeGreaterThan(10);
    expect(rates.filter((r) => r < 0.75).length).toBeGreaterThan(5);
  });

  it('gives departments and urban districts more dossiers than wards', () => {
    const count = new Map<string, number>();
    for (const d of dossiers) count.set(d.unitId, (count.get(d.unitId) ?? 0) + 1);
    const mean = (kind: string, pg?: string) => {
      const us = units2024.filter((u) => u.kind === kind && (!pg || u.peerGroup === pg));
      return us.reduce((s, u) => s + (count.get(u.id) ?? 0), 0) / us.length;
    };
    expect(mean('department')).toBeGreaterThan(5 * mean('ward'));
    expect(mean('district', 'district-urban')).toBeGreaterThan(5 * mean('ward'));
  });

  it('produces 150k–250k dossiers for 2023-01..2026-11 at the default scale, and scales', () => {
    const plan = planDemoData({ units: units2024, from: '2023-01', to: '2026-11', seed: 1 });
    expect(plan.dossiers).toBeGreaterThan(150_000);
    expect(plan.dossiers).toBeLessThan(250_000);
    const scaled = planDemoData({ units: units2024, from: '2023-01', to: '2026-11', seed: 1, scale: 5 });
    expect(scaled.dossiers / plan.dossiers).toBeGreaterThan(4.8);
    expect(scaled.dossiers / plan.dossiers).toBeLessThan(5.2);
  });

  it('works on the two-level 2025 registry (wards get the former district catalogue)', () => {
    const units = loadRegistry('hcmc-2025');
    const recs = Array.from(generateDemoData({ units, from: '2025-07', to: '2025-08', seed: 3 }));
    const bad = recs.map((r) => validateRecord(r)).filter((v) => !v.ok);
    expect(bad).toEqual([]);
    const fb = recs.filter((r): r is Feedback => r.type === 'feedback');
    expect(fb.length).toBeGreaterThan(1000);
    expect(fb.every((f) => units.find((u) => u.id === f.unitId)?.kind !== 'district')).toBe(true);
  });

  it('cuts the data at asOf and rejects bad options', () => {
    const asOf = '2024-05-15T00:00:00+07:00';
    const recs = Array.from(generateDemoData({ units: units2024, from: '2024-05', to: '2024-05', seed: 1, asOf }));
    const latest = Math.max(...recs.map((r) => ts(r.updatedAt)));
    expect(latest).toBeLessThanOrEqual(ts(asOf));
    // without asOf, a month still under way stops at the start of today: nothing dated in the future
    const now = ts('2024-05-20T10:30:00+07:00');
    const current = Array.from(generateDemoData({ units: units2024, from: '2024-05', to: '2024-05', seed: 1, now }));
    expect(Math.max(...current.map((r) => ts(r.updatedAt)))).toBeLessThanOrEqual(ts('2024-05-20T00:00:00+07:00'));
    expect(Math.max(...current.filter((r) => r.type === 'dossier').map((r) => ts((r as Dossier).receivedAt)))).toBeGreaterThan(ts('2024-05-18T00:00:00+07:00'));
    expect(() => planDemoData({ units: units2024, from: '2024-13', to: '2024-12', seed: 1 })).toThrow(/from must be a month/);
    expect(() => planDemoData({ units: units2024, from: '2024-05', to: '2024-04', seed: 1 })).toThrow(/before from/);
    expect(() => planDemoData({ units: units2024, from: '2024-05', to: '2024-05', seed: 1, scale: 0 })).toThrow(/scale/);
  });
});

describe('demo data across the 2025 merger (both registries, each for its months)', () => {
  const city = loadCity();
  const records = [...generateDemoData({ units: city.registries, from: '2025-05', to: '2025-08', seed: 9, scale: 0.3, now: Date.parse('2025-09-15T00:00:00+07:00') })];
  const before = new Set(loadRegistry('hcmc-2024').map((u) => u.id));
  const after = new Set(loadRegistry('hcmc-2025').map((u) => u.id));
  const latest = latestState(records);

  it('puts each month on the structure in force then', () => {
    const dossiers = records.filter((r): r is Dossier => r.type === 'dossier');
    const june = dossiers.filter((d) => d.receivedAt.startsWith('2025-06'));
    const july = dossiers.filter((d) => d.receivedAt.startsWith('2025-07'));
    expect(june.length).toBeGreaterThan(100);
    expect(july.length).toBeGreaterThan(june.length); // the merged city is larger
    expect(july.every((d) => after.has(d.unitId))).toBe(true);
    expect(june.filter((d) => d.id.startsWith('hs-') && d.updatedAt < '2025-07').every((d) => before.has(d.unitId))).toBe(true);
  });

  it('moves open dossiers of merged wards to a successor, as a later copy with its own procedure', () => {
    const copies = new Map<string, SourceRecord[]>();
    for (const r of records) copies.set(`${r.type}#${r.id}`, [...(copies.get(`${r.type}#${r.id}`) ?? []), r]);
    const moved = [...copies.values()].filter((list) => list.length > 1 && list[0].type === 'dossier') as Dossier[][];
    expect(moved.length).toBeGreaterThan(20);
    const procedures = new Map(records.filter((r): r is Procedure => r.type === 'procedure').map((p) => [p.id, p.unitId]));
    for (const [first, later] of moved) {
      expect(before.has(first.unitId) && !after.has(first.unitId)).toBe(true);
      expect(later.updatedAt > first.updatedAt).toBe(true);
      if (later.unitId !== first.unitId) {
        expect(after.has(later.unitId)).toBe(true);
        expect(procedures.get(later.procedureId)).toBe(later.unitId);
        const successor = city.structure.byId.get(later.unitId)!;
        const fromWard = successor.predecessors?.some((p) => p.id === first.unitId);
        const fromDistrict = city.structure.byId.get(first.unitId)!.kind === 'district';
        expect(fromWard || fromDistrict).toBe(true);
      }
    }
  });

  it('is accepted by the structure: every dossier and feedback names a unit in force at its receipt or a successor', () => {
    const registry = registryOf(city.structure, city.fields.map((f) => f.code));
    for (const r of latest) {
      if (r.type === 'procedure') continue;
      expect(registry.notInForce(r.unitId, Date.parse(r.receivedAt)), `${r.type} ${r.id}`).toBeUndefined();
    }
  });
});
