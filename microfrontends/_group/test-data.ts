/** Snapshots for the component tests of the group modules (jsdom). Not part of any bundle. */
import { makeScore, METHOD_766_V1 } from '@itmap/kit/testing';

/** 10 April 2024: January to March are complete, April is ongoing (provisional) */
export const ASOF = '2024-04-10T12:00:00+07:00';
export const units = [
  { id: 'hcm', parentId: null, kind: 'city', name: { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' }, peerGroup: 'city', offersElectronicCertifiedCopy: false },
  { id: 'q1', parentId: 'hcm', kind: 'district', name: { vi: 'Quận 1', en: 'District 1' }, peerGroup: 'district-urban', offersElectronicCertifiedCopy: false, centroid: [106.699, 10.7769] },
  { id: 'q3', parentId: 'hcm', kind: 'district', name: { vi: 'Quận 3', en: 'District 3' }, peerGroup: 'district-urban', offersElectronicCertifiedCopy: false, centroid: [106.683, 10.7843] },
  { id: 'cu-chi', parentId: 'hcm', kind: 'district', name: { vi: 'Huyện Củ Chi', en: 'Cu Chi District' }, peerGroup: 'district-rural', offersElectronicCertifiedCopy: false, centroid: [106.49, 11.0] },
  { id: 'q1-ben-nghe', parentId: 'q1', kind: 'ward', name: { vi: 'Phường Bến Nghé', en: 'Ben Nghe Ward' }, peerGroup: 'ward-urban', offersElectronicCertifiedCopy: true, centroid: [106.703, 10.778] },
  { id: 'q1-da-kao', parentId: 'q1', kind: 'ward', name: { vi: 'Phường Đa Kao', en: 'Da Kao Ward' }, peerGroup: 'ward-urban', offersElectronicCertifiedCopy: true, centroid: [106.698, 10.789] },
];

function period(p: string, shift = 0, provisional = false) {
  const o = { period: p, asOf: ASOF, provisional };
  const s = [
    makeScore({ ...o, unitId: 'hcm', peerGroup: 'city', total: 70 + shift, rank: 1, band: 'fair' }),
    makeScore({ ...o, unitId: 'q1', peerGroup: 'district-urban', total: 71.2 + shift, rank: 2, band: 'fair' }),
    makeScore({ ...o, unitId: 'q3', peerGroup: 'district-urban', total: 91.456 + shift, rank: 1, band: 'excellent' }),
    makeScore({ ...o, unitId: 'cu-chi', peerGroup: 'district-rural', total: 45 + shift, rank: 1, band: 'weak' }),
    makeScore({ ...o, unitId: 'q1-ben-nghe', peerGroup: 'ward-urban', total: 85 + shift, rank: 1, band: 'good' }),
    makeScore({ ...o, unitId: 'q1-da-kao', peerGroup: 'ward-urban', total: 60 + shift, rank: 2, band: 'average' }),
  ];
  // a denominator of 0 on 1.1 for Quận 1 (no procedures due)
  s[1].indicators['1.1'] = { n: 0, d: 0, ratio: null, points: 0, max: 6, noData: true };
  return s;
}

const scores = { '2024-01': period('2024-01', -5), '2024-02': period('2024-02', -2), '2024-03': period('2024-03'), '2024-04': period('2024-04', -10, true) };
const history = (id: string) => Object.values(scores).flatMap((list) => list.filter((s) => s.unitId === id));

export const files: Record<string, unknown> = {
  'latest.json': { asOf: ASOF, method: '766-v1', periods: Object.keys(scores), latestPeriod: '2024-04', defaultPeriod: '2024-03', provisionalPeriods: ['2024-04'], changed: [] },
  'units.json': { asOf: ASOF, units },
  'method.json': METHOD_766_V1,
  ...Object.fromEntries(Object.entries(scores).map(([p, list]) => [`scores/${p}.json`, { period: p, method: '766-v1', asOf: ASOF, provisional: p === '2024-04', scores: list }])),
  ...Object.fromEntries(units.map((u) => [`units/${u.id}.json`, { unitId: u.id, method: '766-v1', asOf: ASOF, history: history(u.id) }])),
};
export { METHOD_766_V1 };
