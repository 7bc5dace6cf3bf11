import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi, METHOD_766_V1 } from '@itmap/kit/testing';

const files = { 'method.json': METHOD_766_V1 };

describe('methodology', () => {
  it('is generated from the method table: groups, every indicator, rules, thresholds, empty rules, bands', async () => {
    render(App, baseProps(fakeApi(files)));
    const groups = await screen.findByRole('table', { name: 'Các nhóm chỉ số' });
    expect(within(groups).getAllByRole('row')).toHaveLength(1 + METHOD_766_V1.groups.length + 1);
    expect(groups.textContent).toContain('Thanh toán trực tuyến: 10 điểm');
    for (const g of METHOD_766_V1.groups) {
      const table = screen.getByRole('table', { name: `${g.name.vi}: các chỉ số` });
      expect(within(table).getAllByRole('row')).toHaveLength(1 + METHOD_766_V1.indicators.filter((i) => i.group === g.key).length);
    }
    const row42 = screen.getByRole('row', { name: /Hồ sơ được số hóa|4\.2/ });
    expect(row42.textContent).toContain('Ngưỡng 80 %');
    const row43 = screen.getAllByRole('row').find((r) => r.textContent?.startsWith('4.3'))!;
    expect(row43.textContent).toContain('Đủ điểm');
    const bands = screen.getByRole('table', { name: /Xếp loại theo tổng điểm/ });
    expect(within(bands).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual([
      'Xuất sắctừ 90', 'Tốttừ 80 đến dưới 90', 'Khátừ 70 đến dưới 80', 'Trung bìnhtừ 50 đến dưới 70', 'Yếudưới 50',
    ]);
  });

  it('speaks English', async () => {
    render(App, baseProps(fakeApi(files), { locale: 'en' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'How the scores are computed' })).toBeTruthy();
    expect((await screen.findByRole('table', { name: 'Online public services: indicators' })).textContent).toContain('Threshold 80 %');
    expect(screen.getByRole('table', { name: /^Bands/ }).textContent).toContain('below 50');
  });
});
