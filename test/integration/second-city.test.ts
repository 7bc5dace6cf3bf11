/**
 * A second city needs no code change (issue 18): a small fictional city in another time zone (Europe/Berlin, with
 * daylight saving time) and two registries — two districts until 31 March 2024, then one merged district — written
 * as a folder of data, chosen with CITY, run through the real local stack: ingest, scoring, the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import type { SourceRecord, Unit } from '../../shared-types/src/records.ts';
import type { ScoresSnapshot } from '../../shared-types/src/snapshots.ts';
import type { Registry } from '../../functions/src/domain/structure/structure.ts';
import { getJson, postRecords, startTestStack } from '../support/local-stack.ts';
import { writeTestCity } from '../support/test-city.ts';

const unit = (id: string, parentId: string | null, kind: Unit['kind'], extra: Partial<Unit> = {}): Unit => ({
  id, parentId, kind, name: { vi: `Đơn vị ${id}`, en: `Unit ${id}` }, peerGroup: kind, offersElectronicCertifiedCopy: kind === 'ward', ...extra,
});
const registries: Registry[] = [
  { registry: 'old', validFrom: '2024-01-01', validTo: '2024-03-31', units: [unit('ort', null, 'city'), unit('nord', 'ort', 'district'), unit('sued', 'ort', 'district')] },
  { registry: 'new', validFrom: '2024-04-01', validTo: null, units: [unit('ort', null, 'city'), unit('mitte', 'ort', 'district', { predecessors: [{ id: 'nord' }, { id: 'sued' }] })] },
];

const procedure = (id: string, unitId: string): SourceRecord => ({
  type: 'procedure', id, unitId, name: 'Verfahren', onlineLevel: 'full', feeRequired: false, onlinePaymentIntegrated: false, resultRequired: false,
  citizenApplicants: false, populationDataConnected: false, announcementDueAt: null, announcedAt: null, publicationDueAt: null, publishedAt: null,
  componentsPublished: 7, updatedAt: '2024-01-02T00:00:00+01:00',
});
const dossier = (id: string, unitId: string, receivedAt: string, extra: Partial<Extract<SourceRecord, { type: 'dossier' }>> = {}): SourceRecord => ({
  type: 'dossier', id, unitId, procedureId: `p-${unitId}`, receivedAt, channel: 'online', dueAt: '2024-05-30T17:00:00+02:00', completedAt: null,
  supplementRequests: 0, syncedToNationalPortal: true, financialObligation: false, paidOnline: false, electronicResult: false, digitized: false,
  reusedDigitizedData: false, linkedPersonalDataStore: false, usesPopulationData: false, citizenComplaint: false, updatedAt: receivedAt, ...extra,
});

let stack: LocalStack;
beforeAll(async () => {
  process.env.CITY = writeTestCity(registries, { timeZone: 'Europe/Berlin', firstMonth: '2024-01' });
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  delete process.env.CITY;
});

describe('a fictional city in Europe/Berlin with two registries', () => {
  it('validates, scores and serves records on the structure of their dates, in its own time zone', async () => {
    // 23:30 on 31 March in Berlin is 1 April in Ho Chi Minh City: the city's zone puts it in March
    const lateMarch = '2024-03-31T23:30:00+02:00';
    const sent = [
      procedure('p-nord', 'nord'), procedure('p-sued', 'sued'), procedure('p-mitte', 'mitte'),
      dossier('a', 'nord', lateMarch),
      dossier('b', 'sued', '2024-03-10T09:00:00+01:00', { completedAt: '2024-03-12T09:00:00+01:00', updatedAt: '2024-03-12T09:00:00+01:00' }),
      dossier('c', 'mitte', '2024-04-10T09:00:00+02:00'),
    ];
    const reply = await postRecords(stack, JSON.stringify(sent));
    expect(reply.body.rejected).toEqual([]);
    expect(reply.body.accepted).toBe(6);

    // a record received in April names a district that ceased on 31 March: refused, its successor named
    const late = await postRecords(stack, JSON.stringify([dossier('d', 'nord', '2024-04-02T09:00:00+02:00')]));
    expect(late.body.rejected).toEqual([expect.objectContaining({ id: 'd', errors: [expect.objectContaining({ field: 'unitId', message: expect.stringContaining('its successors: mitte') })] })]);
    // moved by the merger: a later copy with the successor's id (and its procedure) is accepted
    const moved = await postRecords(stack, JSON.stringify([dossier('a', 'mitte', lateMarch, { updatedAt: '2024-04-01T09:00:00+02:00' })]));
    expect(moved.body.accepted).toBe(1);

    await stack.settle();
    const march = (await getJson(stack, '/api/v1/scores?period=2024-03')) as { body: ScoresSnapshot };
    expect(march.body.scores.map((s) => s.unitId)).toEqual(['ort', 'nord', 'sued']);
    // dossier a moved to mitte (its latest copy): the city still counts it in March, the old districts no longer do
    expect(march.body.scores.find((s) => s.unitId === 'ort')!.indicators['2.1']).toMatchObject({ d: 2 });
    expect(march.body.scores.find((s) => s.unitId === 'nord')!.indicators['2.1']).toMatchObject({ d: 0 });
    const year = (await getJson(stack, '/api/v1/scores?period=2024')) as { body: ScoresSnapshot };
    expect(year.body.scores.map((s) => [s.unitId, s.retired ?? false, s.rank])).toEqual([['ort', false, 1], ['nord', true, null], ['sued', true, null], ['mitte', false, 1]]);
    expect(year.body.scores.find((s) => s.unitId === 'ort')!.indicators['2.1']).toMatchObject({ d: 3 });

    const units = (await getJson(stack, '/api/v1/units?period=2024-Q1')) as { body: { units: { id: string }[] } };
    expect(units.body.units.map((u) => u.id)).toEqual(['ort', 'nord', 'sued']);
    // the site's copy: every unit of both registries with their dates, and the city's zone and peer groups for the front end
    const snapshot = (await getJson(stack, '/data/units.json')) as { body: { city: Record<string, unknown>; units: { id: string; validTo?: string | null }[] } };
    expect(Object.keys(snapshot.body.city).sort()).toEqual(['name', 'peerGroups', 'timeZone']);
    expect(snapshot.body.city.timeZone).toBe('Europe/Berlin');
    expect(snapshot.body.units.map((u) => [u.id, u.validTo])).toEqual([['ort', null], ['nord', '2024-03-31'], ['sued', '2024-03-31'], ['mitte', null]]);
    const now = (await getJson(stack, '/api/v1/units')) as { body: { units: { id: string }[] } };
    expect(now.body.units).toEqual([expect.objectContaining({ id: 'ort' }), expect.objectContaining({ id: 'mitte', predecessors: [{ id: 'nord' }, { id: 'sued' }], validFrom: '2024-04-01' })]);
  });
});
