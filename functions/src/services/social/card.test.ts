import { describe, expect, it } from 'vitest';
import { renderCard, renderCardSvg } from './card.ts';
import type { CardFacts } from './share.ts';

const facts: CardFacts = {
  unitId: 'p-bt', period: '2026-12', name: { vi: 'Phường Bến Thành', en: 'Ben Thanh Ward' }, context: { vi: 'Mã 26734', en: 'Code 26734' },
  city: { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' }, peerGroup: null, provisional: true, asOf: '2026-12-06T07:05:00.000Z', timeZone: 'Asia/Ho_Chi_Minh',
  score: {
    total: 82.47, band: { code: 'good', label: { vi: 'Tốt', en: 'Good' } }, rank: 12, peers: 168, change: { delta: -1.5, period: '2026-11' }, retired: false,
    groups: [{ key: 'transparency', name: { vi: 'Công khai, minh bạch', en: 'Transparency' }, points: 16.5, max: 18 }],
  },
};

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Uint8Array) => {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { signature: [...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), width: view.getUint32(16), height: view.getUint32(20) };
};

describe('the card image', () => {
  it('is a 1200×630 PNG, its text drawn as outlines (no font needed to show it)', async () => {
    const png = await renderCard(facts, 'vi');
    expect(pngSize(png)).toEqual({ signature: 'PNG', width: 1200, height: 630 });
    const svg = await renderCardSvg(facts, 'vi');
    expect(svg).not.toContain('<text');
    expect(svg.match(/<path/g)!.length).toBeGreaterThan(10);
  }, 60_000);

  it('draws the band\'s colour, and what it says changes the drawing', async () => {
    const good = await renderCardSvg(facts, 'vi');
    expect(good).toContain('#2f7d1f'); // the site's "good" ink
    const weak = await renderCardSvg({ ...facts, score: { ...facts.score!, total: 42.1, band: { code: 'weak', label: { vi: 'Yếu', en: 'Weak' } } } }, 'vi');
    expect(weak).toContain('#b42318');
    expect(weak).not.toContain('#2f7d1f');
    // the provisional line is drawn only for an ongoing period
    const final = await renderCardSvg({ ...facts, provisional: false }, 'vi');
    expect(good).toContain('#8a4b00');
    expect(final).not.toContain('#8a4b00');
    expect(await renderCardSvg(facts, 'en')).not.toBe(good);
  }, 60_000);

  it('a unit without a score in the period gets a card that says so', async () => {
    const svg = await renderCardSvg({ ...facts, score: null }, 'vi');
    expect(pngSize(await renderCard({ ...facts, score: null }, 'en')).width).toBe(1200);
    expect(svg).not.toContain('#2f7d1f');
  }, 60_000);
});
