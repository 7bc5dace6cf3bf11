import { describe, expect, it } from 'vitest';
import { METHOD_766_V1 } from '../../../../shared-types/src/method.ts';
import type { UnitEntry } from '../../../../shared-types/src/snapshots.ts';
import type { UnitScore } from '../../../../shared-types/src/scores.ts';
import { CURRENT_PAGES, cardFacts, cardVersion, cardWords, previewPageOf, sharePageHtml, sharePagePath, type CardSources } from './share.ts';

const units: UnitEntry[] = [
  { id: 'hcm', parentId: null, kind: 'city', name: { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' }, peerGroup: 'city', offersElectronicCertifiedCopy: false },
  { id: 'q1', parentId: 'hcm', kind: 'district', name: { vi: 'Quận 1', en: 'District 1' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
  { id: 'q1-bt', parentId: 'q1', kind: 'ward', name: { vi: 'Phường Bến Thành', en: 'Ben Thanh Ward' }, peerGroup: 'ward', offersElectronicCertifiedCopy: false },
  { id: 'p-bt', parentId: 'hcm', kind: 'ward', name: { vi: 'Phường Bến Thành', en: 'Ben Thanh Ward' }, peerGroup: 'ward', offersElectronicCertifiedCopy: false, code: '26734' },
  { id: 'p-x', parentId: 'hcm', kind: 'ward', name: { vi: 'Phường "X" & <Y>', en: 'Ward "X" & <Y>' }, peerGroup: 'ward', offersElectronicCertifiedCopy: false, code: '1' },
];
const city = { name: { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' }, timeZone: 'Asia/Ho_Chi_Minh', peerGroups: [{ id: 'ward', name: { vi: 'Phường, xã', en: 'Wards and communes' } }] };
const groups = (points: number[]) => Object.fromEntries(METHOD_766_V1.groups.map((g, i) => [g.key, { points: points[i], max: g.max }])) as UnitScore['groups'];
const score = (unitId: string, period: string, total: number, extra: Partial<UnitScore> = {}): UnitScore => ({
  unitId, period, peerGroup: 'ward', method: METHOD_766_V1.id, asOf: '2026-12-01T00:00:00.000Z', provisional: false, indicators: {},
  groups: groups([15, 16, 17, 18, total - 66]), total, band: total >= 90 ? 'excellent' : total >= 80 ? 'good' : 'fair', rank: 2, ...extra,
});
const sources = (over: Partial<CardSources> = {}): CardSources => ({
  unitId: 'p-bt', period: '2026-11', units: { asOf: '2026-12-01T00:00:00.000Z', city, units },
  now: score('p-bt', '2026-11', 82.47), before: score('p-bt', '2026-10', 79.3),
  scores: { asOf: '2026-12-01T00:00:00.000Z', provisional: false, scores: [{ peerGroup: 'ward' }, { peerGroup: 'ward' }, { peerGroup: 'ward', retired: true }, { peerGroup: 'district' }] },
  method: METHOD_766_V1, ...over,
});

describe('card facts: what a shared link says of a unit in a period', () => {
  it('tells a ward apart by its code under the city, by its parent under a district', () => {
    expect(cardFacts(sources())!.context).toEqual({ vi: 'Mã 26734', en: 'Code 26734' });
    expect(cardFacts(sources({ unitId: 'q1-bt' }))!.context).toEqual({ vi: 'Quận 1', en: 'District 1' });
    expect(cardFacts(sources({ unitId: 'q1' }))!.context).toBeNull(); // under the city, no code: the card names the city already
    expect(cardFacts(sources({ unitId: 'nowhere' }))).toBeNull();
  });

  it('ranks among the peer group\'s units still in force, and shows the change as the site does', () => {
    const s = cardFacts(sources())!.score!;
    expect(s.peers).toBe(2); // the retired ward and the district are not its peers
    expect(s.change).toEqual({ delta: 3.2, period: '2026-10' });
    expect(s.groups.map((g) => g.points)).toEqual([15, 16, 17, 18, 82.47 - 66]);
    expect(cardFacts(sources({ before: undefined }))!.score!.change).toBeNull();
    expect(cardFacts(sources({ now: undefined }))!.score).toBeNull();
  });

  it('words in both languages, a decimal comma in Vietnamese', () => {
    const vi = cardWords(cardFacts(sources())!, 'vi');
    expect(vi.title).toBe('Phường Bến Thành (Mã 26734) — tháng 11/2026');
    expect(vi.description).toBe('82,47 điểm, xếp loại Tốt · Hạng 2/2 phường, xã · +3,2 so với tháng 10/2026. Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg).');
    const en = cardWords(cardFacts(sources())!, 'en');
    expect(en.title).toBe('Ben Thanh Ward (Code 26734) — November 2026');
    expect(en.description).toContain('82.47 points, band Good · Rank 2 of 2 wards and communes · +3.2 since October 2026.');
    expect(cardWords(cardFacts(sources({ now: undefined }))!, 'vi').description).toContain('Chưa có điểm trong kỳ này');
  });

  it('an ongoing period says so, with the instant judged in the city\'s time', () => {
    const facts = cardFacts(sources({ now: score('p-bt', '2026-12', 75, { provisional: true, asOf: '2026-12-06T07:05:00.000Z' }), period: '2026-12' }))!;
    const vi = cardWords(facts, 'vi');
    expect(vi.title).toBe('Phường Bến Thành (Mã 26734) — tháng 12/2026 (tạm tính)');
    expect(vi.provisional).toBe('Tạm tính: kỳ chưa kết thúc, số liệu đến 14:05 ngày 6/12/2026');
  });
});

describe('the social preview page', () => {
  const metaOf = (html: string, key: string) => new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`).exec(html)?.[1];

  it('Open Graph and Twitter tags with absolute addresses: the view (period, language) and its card image', () => {
    const html = sharePageHtml(cardFacts(sources())!, 'en', { siteUrl: 'https://bando.example', viewUnitId: 'p-bt' });
    expect(metaOf(html, 'og:url')).toBe('https://bando.example/units/p-bt?period=2026-11&amp;lang=en');
    expect(metaOf(html, 'og:image')).toBe(`https://bando.example/api/v1/units/p-bt/card.png?period=2026-11&amp;lang=en&amp;v=${cardVersion(cardFacts(sources())!)}`);
    expect(metaOf(html, 'twitter:card')).toBe('summary_large_image');
    expect(metaOf(html, 'og:image:width')).toBe('1200');
    expect(metaOf(html, 'og:title')).toBe('Ben Thanh Ward (Code 26734) — November 2026');
    expect(html).toContain('<link rel="canonical" href="https://bando.example/units/p-bt?period=2026-11&amp;lang=en">');
    expect(html).toContain('<meta http-equiv="refresh" content="0; url=https://bando.example/units/p-bt?period=2026-11&amp;lang=en">');
  });

  it('the image\'s version changes with what the card says, and only then', () => {
    const version = cardVersion(cardFacts(sources())!);
    expect(cardVersion(cardFacts(sources())!)).toBe(version);
    expect(cardVersion(cardFacts(sources({ before: score('p-bt', '2026-10', 80) }))!)).not.toBe(version);
  });

  it('the city\'s page stands for the overview; names are escaped', () => {
    const city = sharePageHtml(cardFacts(sources({ unitId: 'hcm' }))!, 'vi', { siteUrl: '', viewUnitId: null });
    expect(metaOf(city, 'og:url')).toBe('/?period=2026-11');
    const odd = sharePageHtml(cardFacts(sources({ unitId: 'p-x' }))!, 'vi', { siteUrl: '', viewUnitId: 'p-x' });
    expect(metaOf(odd, 'og:title')).toBe('Phường &quot;X&quot; &amp; &lt;Y&gt; (Mã 1) — tháng 11/2026');
  });

  it('an ongoing period\'s page names no figure (it is not rewritten as they move)', () => {
    const html = sharePageHtml(cardFacts(sources({ now: score('p-bt', '2026-12', 75.5, { provisional: true }), period: '2026-12' }))!, 'vi', { siteUrl: '', viewUnitId: 'p-bt' });
    expect(metaOf(html, 'og:description')).toContain('tạm tính');
    expect(html).not.toContain('75,5');
  });
});

describe('who gets the page (the CDN runs this function too)', () => {
  const facebook = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';
  const chrome = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36';

  it('a link-preview robot asking for a unit or the overview with a period', () => {
    expect(previewPageOf('/units/p-bt', { period: '2026-11' }, facebook)).toBe('/data/share/2026-11/units/p-bt.vi.html');
    expect(previewPageOf('/units/p-bt/', { period: '2026-Q4', lang: 'en' }, 'Twitterbot/1.0')).toBe('/data/share/2026-Q4/units/p-bt.en.html');
    expect(previewPageOf('/', { period: '2026' }, 'Mozilla/5.0 (compatible; Zalo)')).toBe('/data/share/2026/city.vi.html');
  });

  it('a link without a period: the page of the period the site opens on', () => {
    expect(previewPageOf('/units/p-bt', {}, facebook)).toBe(`/data/${sharePagePath(CURRENT_PAGES, 'p-bt', 'vi')}`);
    expect(previewPageOf('/', { lang: 'en' }, facebook)).toBe(`/data/${sharePagePath(CURRENT_PAGES, null, 'en')}`);
  });

  it('nobody else, nothing else: people, search engines, other views, a malformed period', () => {
    expect(previewPageOf('/units/p-bt', { period: '2026-11' }, chrome)).toBeNull();
    expect(previewPageOf('/units/p-bt', { period: '2026-11' }, 'Mozilla/5.0 (compatible; Googlebot/2.1)')).toBeNull();
    expect(previewPageOf('/progress', { period: '2026-11' }, facebook)).toBeNull();
    expect(previewPageOf('/units/p-bt', { period: '2026-13' }, facebook)).toBeNull();
    expect(previewPageOf('/units/%E0', { period: '2026-11' }, facebook)).toBeNull();
  });

  it('asks for the key the publisher writes, escaped once more (the bucket decodes the path once)', () => {
    const id = 'Phường:1/2';
    const asked = previewPageOf(`/units/${encodeURIComponent(id)}`, { period: '2026-11' }, facebook)!;
    expect(decodeURIComponent(asked)).toBe(`/data/${sharePagePath('2026-11', id, 'vi')}`);
  });
});
