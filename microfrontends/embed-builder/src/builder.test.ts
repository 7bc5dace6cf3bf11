import { describe, expect, it } from 'vitest';
import { embedCode, type EmbedChoice } from './builder.ts';

const base: EmbedChoice = { chart: 'history', unit: 'so-tu-phap', peer: 'ward', top: 10, period: '2024-03', lang: 'vi', theme: '', width: '100%', height: 460, pinned: true };
const ASOF = '2025-01-01T00:00:00+07:00';

describe('embed builder: the code of a choice', () => {
  it('a unit\'s history, pinned to the published state, in Vietnamese, full width', () => {
    const { src, code } = embedCode('https://site', base, 'Biểu đồ: Sở Tư pháp', ASOF);
    expect(src).toBe('https://site/embed/history?unit=so-tu-phap&period=2024-03&lang=vi&pin=20241231T170000Z');
    expect(code).toBe('<iframe src="https://site/embed/history?unit=so-tu-phap&amp;period=2024-03&amp;lang=vi&amp;pin=20241231T170000Z" title="Biểu đồ: Sở Tư pháp" width="100%" height="460" loading="lazy" frameborder="0" referrerpolicy="strict-origin-when-cross-origin"></iframe><script src="https://site/embed/host.js" async></script>');
  });
  it('live (no pin), English, dark, a ranking of a peer group with its top and a marked unit, a fixed size', () => {
    const { src, code } = embedCode('https://site', { ...base, chart: 'ranking', unit: 'quan-3-p-14', pinned: false, lang: 'en', theme: 'dark', width: '640', height: 600, top: 5 }, 'Chart', ASOF);
    expect(src).toBe('https://site/embed/ranking?peer=ward&top=5&unit=quan-3-p-14&period=2024-03&lang=en&theme=dark');
    expect(code).toContain('width="640" height="600"');
  });
  it('keeps a size within bounds and a width among those offered', () => {
    expect(embedCode('https://site', { ...base, height: 10, width: '9999' }, 't', null).code).toContain('width="100%" height="240"');
    expect(embedCode('https://site', { ...base, height: 5000 }, 't', null).code).toContain('height="1200"');
    expect(embedCode('https://site', { ...base, pinned: true }, 't', null).src).not.toContain('pin='); // nothing to pin to yet
  });
});
