/**
 * npm run bench:ongoing [-- --scale 1 --hours 24]
 *
 * The extra cost of judging the ongoing period honestly (at e = min(end, now)): with no new record, the
 * scorer recounts a unit only once the clock passes the next instant its counts hold until (a due date of
 * one of its open items). This simulates the scorer's schedule minute by minute over a day of December
 * on the demo data (HCMC's registry, 2023-01 to today), counting in-process with the same `countUnit` the
 * scorer runs (records held in memory: the figures are the engine's CPU and the records a run would read,
 * not DynamoDB latency). Side by side: the naive alternative, recounting every unit on every run.
 */
import { parseArgs } from 'node:util';
import { cityConfig } from '../functions/src/commons/config.ts';
import { generateDemoData } from '../functions/src/demo/generate.ts';
import { latestState } from '../functions/src/domain/engine/index.ts';
import { countUnit, periodIdsFor } from '../functions/src/services/refresh-scores.ts';
import type { SourceRecord } from '../shared-types/src/records.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, hours: { type: 'string', default: '24' }, seed: { type: 'string', default: '766' } } });
const city = cityConfig();
const start = Date.parse('2026-12-02T08:00:00+07:00');
const minutes = Number(values.hours) * 60;

const byUnit = new Map<string, SourceRecord[]>(city.units.map((unit) => [unit.id, []]));
const records = latestState(generateDemoData({ units: city.units, from: city.firstMonth, to: '2026-12', seed: values.seed, scale: Number(values.scale), asOf: start }));
for (const record of records) byUnit.get(record.unitId)?.push(record);
const periods = periodIdsFor({ firstMonth: city.firstMonth, now: () => start });

const cpu = () => process.cpuUsage().user / 1000;
function recount(unitId: string, nowMs: number) {
  const unit = city.units.find((u) => u.id === unitId)!;
  return countUnit(unit, byUnit.get(unitId)!, periods, city.fields, new Date(nowMs).toISOString());
}

// The first run counts every unit (as the scorer's first run of a month does); then only what time moved.
const judgeAgain = new Map<string, number>();
for (const unit of city.units) {
  const after = recount(unit.id, start).judgeAgainAfterMs;
  if (after !== null) judgeAgain.set(unit.id, after);
}
const perRun: { units: number; records: number; ms: number }[] = [];
for (let m = 1; m <= minutes; m++) {
  const now = start + m * 60_000;
  const due = [...judgeAgain].filter(([, after]) => now > after).map(([unitId]) => unitId);
  const before = cpu();
  let read = 0;
  for (const unitId of due) {
    read += byUnit.get(unitId)!.length;
    const after = recount(unitId, now).judgeAgainAfterMs;
    if (after === null) judgeAgain.delete(unitId);
    else judgeAgain.set(unitId, after);
  }
  perRun.push({ units: due.length, records: read, ms: cpu() - before });
}

// Baseline: every unit recounted on a run (what re-judging the ongoing period would cost without the watch list).
const naiveBefore = cpu();
for (const unit of city.units) recount(unit.id, start + 60_000);
const naiveMs = cpu() - naiveBefore;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const busy = perRun.filter((r) => r.units > 0).length;
const unitsPerRun = sum(perRun.map((r) => r.units)) / perRun.length;
const recordsPerRun = sum(perRun.map((r) => r.records)) / perRun.length;
const msPerRun = sum(perRun.map((r) => r.ms)) / perRun.length;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

console.log(`## Ongoing period: re-judging with no new record (simulated: ${fmt(minutes)} one-minute runs from 2 December 08:00, in-process)

Demo data at scale ${values.scale}: ${fmt(records.length)} records, ${city.units.length} units (${city.registryName}), ${periods.length} periods.

| per scheduled run | re-judged by due dates (watch list) | every unit recounted (baseline) | ratio |
|---|---|---|---|
| units recounted | ${fmt(unitsPerRun, 2)} (p95 ${p(perRun.map((r) => r.units), 0.95)}, max ${Math.max(...perRun.map((r) => r.units))}) | ${city.units.length} | ${fmt(unitsPerRun / city.units.length, 4)} |
| records read | ${fmt(recordsPerRun)} | ${fmt(records.length)} | ${fmt(recordsPerRun / records.length, 4)} |
| engine CPU | ${fmt(msPerRun, 1)} ms | ${fmt(naiveMs)} ms | ${fmt(msPerRun / naiveMs, 4)} |

Runs that re-judged anything: ${busy} of ${perRun.length}. The remaining cost is a unit's whole history per recount (the scorer reads its
records); issue 16's incremental counts replace that with a recount of the open items only.`);
