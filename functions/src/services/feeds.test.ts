// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { METHOD_766_V1 } from '../../../shared-types/src/method.ts';
import { atomXml, cityFeedEntries, entriesOf, mergeFeedEntries, unitFeedEntries, type FeedContext, type FeedScore } from './feeds.ts';

const names: Record<string, { vi: string; en: string }> = {
  hcm: { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' },
  'p-x': { vi: 'Phường X', en: 'Ward X' },
  'p-y': { vi: 'Phường Y & <Z>', en: 'Ward Y & <Z>' },
};
const ctx: FeedContext = { nameOf: (id) => names[id], bandsOf: () => METHOD_766_V1.bands };
const bandFor = (total: number) => [...METHOD_766_V1.bands].sort((a, b) => b.min - a.min).find((b) => Math.round(total * 100) / 100 >= b.min)!.code;
const s = (unitId: string, period: string, total: number, provisional = false): FeedScore => ({ unitId, period, total, band: bandFor(total), provisional });

describe('feed entries: score changes and band crossings of complete periods', () => {
  it('a ward falling under 80 in 2025-11: a band entry ("xuống dưới 80") and a change entry, both languages', () => {
    const entries = entriesOf(s('p-x', '2025-11', 78.2), s('p-x', '2025-10', 81.3), ctx);
    expect(entries.map((e) => e.kind)).toEqual(['band', 'change']);
    expect(entries[0].title).toBe('Phường X xuống dưới 80 điểm trong tháng 11/2025');
    expect(entries[0].summary).toContain('Ward X fell below 80 points in November 2025: 78.20 (October 2025: 81.30)');
    expect(entries[1].title).toBe('Phường X: 78,20 điểm trong tháng 11/2025 (\u22123,1 so với tháng 10/2025)');
    expect(entries[1].summary).toContain('down 3.1 since October 2025');
    expect(entries[0].link).toBe('/units/p-x?period=2025-11');
    expect(entries[0].updated).toBe('2025-11-30T17:00:00.000Z'); // the end of November in Ho Chi Minh City
    expect(entries[0].id).toBe('tag:ban-do-the-che,2024:band/p-x/2025-11');
  });

  it('rising into a higher band says the line reached; within a band only the change; no change, no entry', () => {
    expect(entriesOf(s('p-x', '2025-Q4', 90.5), s('p-x', '2025-Q3', 85), ctx)[0].title).toBe('Phường X đạt từ 90 điểm trở lên trong quý 4/2025');
    expect(entriesOf(s('p-x', '2025', 84), s('p-x', '2024', 82), ctx).map((e) => e.kind)).toEqual(['change']);
    expect(entriesOf(s('p-x', '2025-11', 82.004), s('p-x', '2025-10', 81.996), ctx)).toEqual([]); // 82.00 and 82.00 as shown
  });

  it('nothing for a provisional period, a unit without a score then, or a period that is not the previous of its kind', () => {
    expect(entriesOf(s('p-x', '2025-11', 70, true), s('p-x', '2025-10', 85), ctx)).toEqual([]);
    expect(entriesOf(s('p-x', '2025-11', 70), undefined, ctx)).toEqual([]);
    expect(entriesOf(s('p-x', '2025-11', 70), s('p-x', '2025-09', 85), ctx)).toEqual([]);
    expect(entriesOf(s('p-x', '2025-Q1', 70), s('p-x', '2024-12', 85), ctx)).toEqual([]);
  });

  it('a unit\'s feed pairs each period with the previous one of its kind, newest first', () => {
    const history = [s('p-x', '2025-09', 91), s('p-x', '2025-10', 85), s('p-x', '2025-11', 78), s('p-x', '2025-12', 79, true), s('p-x', '2025-Q3', 88), s('p-x', '2025-Q4', 80, true)];
    const entries = unitFeedEntries(history, ctx);
    expect(entries.map((e) => `${e.period} ${e.kind}`)).toEqual(['2025-11 band', '2025-11 change', '2025-10 band', '2025-10 change']);
  });

  it('the city feed: every unit\'s band crossings, the city\'s own changes only', () => {
    const entries = cityFeedEntries(
      [s('hcm', '2025-11', 75), s('p-x', '2025-11', 78), s('p-y', '2025-11', 60)],
      [s('hcm', '2025-10', 74), s('p-x', '2025-10', 81), s('p-y', '2025-10', 61)],
      'hcm', ctx,
    );
    expect(entries.map((e) => `${e.unitId} ${e.kind}`).sort()).toEqual(['hcm change', 'p-x band']);
  });

  it('a run replaces the entries of the periods it publishes, keeps the others, newest first, up to the cap', () => {
    const old = [...entriesOf(s('p-x', '2025-10', 78), s('p-x', '2025-09', 85), ctx), ...entriesOf(s('p-x', '2025-11', 70), s('p-x', '2025-10', 78), ctx)];
    const fresh = entriesOf(s('p-x', '2025-11', 71), s('p-x', '2025-10', 78), ctx);
    const merged = mergeFeedEntries(old, fresh, ['2025-11']);
    expect(merged.filter((e) => e.period === '2025-11').map((e) => e.title)).toEqual(fresh.map((e) => e.title));
    expect(merged.filter((e) => e.period === '2025-10')).toHaveLength(2);
    expect(merged[0].period).toBe('2025-11');
    expect(mergeFeedEntries(old, fresh, ['2025-11'], 2)).toHaveLength(2);
  });
});

describe('Atom', () => {
  it('is a well-formed Atom 1.0 feed with escaped names, its self link, an entry per event, and the newest entry\'s time', () => {
    const entries = cityFeedEntries([s('p-y', '2025-11', 78)], [s('p-y', '2025-10', 81)], null, ctx);
    const xml = atomXml({ key: 'city', title: 'Bản đồ thể chế — TP. Hồ Chí Minh', subtitle: 'Thay đổi xếp loại', self: '/data/feeds/city.xml', alternate: '/', entries, emptyUpdated: '2026-01-01T00:00:00.000Z' });
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    const feed = doc.documentElement;
    expect(feed.namespaceURI).toBe('http://www.w3.org/2005/Atom');
    expect(feed.querySelector(':scope > link[rel="self"]')!.getAttribute('href')).toBe('/data/feeds/city.xml');
    expect(feed.querySelector(':scope > updated')!.textContent).toBe('2025-11-30T17:00:00.000Z');
    const entry = feed.querySelectorAll('entry');
    expect(entry).toHaveLength(1);
    expect(entry[0].querySelector('title')!.textContent).toBe('Phường Y & <Z> xuống dưới 80 điểm trong tháng 11/2025');
    expect(entry[0].querySelector('id')!.textContent).toBe('tag:ban-do-the-che,2024:band/p-y/2025-11');
    // deterministic, and an empty feed still says when it was made
    expect(atomXml({ key: 'city', title: 't', subtitle: 's', self: '/x', alternate: '/', entries, emptyUpdated: 'x' })).toBe(atomXml({ key: 'city', title: 't', subtitle: 's', self: '/x', alternate: '/', entries, emptyUpdated: 'y' }));
    expect(atomXml({ key: 'unit/p-x', title: 't', subtitle: 's', self: '/x', alternate: '/', entries: [], emptyUpdated: '2026-01-01T00:00:00.000Z' })).toContain('<updated>2026-01-01T00:00:00.000Z</updated>');
  });
});
