import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi, makeScore } from '../../_kit/testing.ts';

const files = {
  'latest.json': { asOf: '2025-01-01T00:00:00+07:00', method: '766-v1', periods: ['2024-03'], latestPeriod: '2024-03', changed: [] },
  'units.json': { asOf: '2025-01-01T00:00:00+07:00', units: [{ id: 'q3', parentId: null, kind: 'district', name: { vi: 'Quận 3', en: 'District 3' }, peerGroup: 'district', offersElectronicCertifiedCopy: false }] },
  'scores/2024-03.json': { period: '2024-03', method: '766-v1', asOf: '2025-01-01T00:00:00+07:00', scores: [makeScore({ unitId: 'q3', period: '2024-03', peerGroup: 'district', total: 81.2, rank: 1, band: 'good' })] },
};

describe("progress", () => {
  it('renders the scores of the period', async () => {
    render(App, baseProps(fakeApi(files)));
    expect(await screen.findByRole('table', { name: 'Điểm Tháng 3/2024' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Quận 3' }).getAttribute('href')).toBe('/units/q3');
  });

  it('speaks English', async () => {
    render(App, baseProps(fakeApi(files), { locale: 'en' }));
    expect(await screen.findByRole('table', { name: 'Scores, March 2024' })).toBeTruthy();
  });
});
