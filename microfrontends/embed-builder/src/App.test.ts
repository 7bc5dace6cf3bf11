import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi, makeScore, METHOD_766_V1 } from '@itmap/kit/testing';
import { rankingsOf } from '../../../shared-types/src/snapshots.ts';

const ASOF = '2025-01-01T00:00:00+07:00';
const units = [
  { id: 'hcm', parentId: null, kind: 'city', name: { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' }, peerGroup: 'city', offersElectronicCertifiedCopy: false },
  { id: 'q3', parentId: 'hcm', kind: 'district', name: { vi: 'Quận 3', en: 'District 3' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
  { id: 'q3-p14', parentId: 'q3', kind: 'ward', name: { vi: 'Phường 14', en: 'Ward 14' }, peerGroup: 'ward', offersElectronicCertifiedCopy: true },
];
const march = units.map((u, i) => makeScore({ unitId: u.id, period: '2024-03', peerGroup: u.peerGroup, total: 70 + i, rank: 1, band: 'fair' }));
const files = {
  'latest.json': { asOf: ASOF, method: '766-v1', periods: ['2024-02', '2024-03'], latestPeriod: '2024-03', defaultPeriod: '2024-03', provisionalPeriods: [], changed: [] },
  'units.json': { asOf: ASOF, units },
  'method.json': METHOD_766_V1,
  'rankings/2024-03.json': rankingsOf({ period: '2024-03', method: '766-v1', asOf: ASOF, provisional: false, scores: march }),
  'rankings/2024-02.json': rankingsOf({ period: '2024-02', method: '766-v1', asOf: '2024-12-01T00:00:00+07:00', provisional: false, scores: march.map((s) => ({ ...s, period: '2024-02' })) }),
  'units/q3-p14.json': { unitId: 'q3-p14', method: '766-v1', asOf: ASOF, history: march.filter((s) => s.unitId === 'q3-p14') },
};
const code = () => (screen.getByRole('textbox', { name: 'Embed code' }) as HTMLTextAreaElement).value;

describe('embed builder', () => {
  it('starts from the page\'s unit and period, pinned; every choice changes the code and the preview', async () => {
    render(App, baseProps(fakeApi(files), { locale: 'en', period: '2024-03', query: { unit: 'q3-p14' } }));
    await screen.findByRole('textbox', { name: 'Embed code' });
    await new Promise((r) => setTimeout(r, 20)); // the pin (the unit history's asOf)
    expect(code()).toContain('/embed/history?unit=q3-p14&amp;period=2024-03&amp;lang=en&amp;pin=20241231T170000Z');
    expect(screen.getByTestId('embed-preview').getAttribute('src')).toContain('/embed/history?unit=q3-p14&period=2024-03&lang=en&pin=20241231T170000Z');
    expect(code()).toContain('title="Chart: total score of Ward 14 (District 3) up to March 2024"');
    await fireEvent.click(screen.getByRole('radio', { name: 'Live' }));
    expect(code()).not.toContain('pin=');
    await fireEvent.click(screen.getByRole('radio', { name: 'Tiếng Việt' }));
    await fireEvent.change(screen.getByRole('combobox', { name: 'Theme' }), { target: { value: 'dark' } });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Width' }), { target: { value: '640' } });
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Height (px)' }), { target: { value: '600' } });
    expect(code()).toContain('lang=vi&amp;theme=dark');
    expect(code()).toContain('width="640" height="600"');
    expect(screen.getByTestId('embed-preview').getAttribute('height')).toBe('600');
    // a peer group's ranking, another period: pinned to that period's ranking
    await fireEvent.click(screen.getByRole('radio', { name: 'The ranking of a peer group' }));
    await fireEvent.change(screen.getByRole('combobox', { name: 'Peer group' }), { target: { value: 'ward' } });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Period' }), { target: { value: '2024-02' } });
    await fireEvent.click(screen.getByRole('radio', { name: 'Pinned as of today' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(code()).toContain('/embed/ranking?peer=ward&amp;top=10&amp;period=2024-02&amp;lang=vi&amp;theme=dark&amp;pin=20241130T170000Z');
  });
});
