import { describe, expect, it } from 'vitest';
import { tick } from 'svelte';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import ChartFigure from './ChartFigure.svelte';
import { moduleLifecycles } from './lifecycles.svelte.ts';
import TwoFigures from './test-fixtures/TwoFigures.svelte';
import type { NavigateTo } from './core.ts';

const props = {
  title: 'Total score over time', summary: 'Up from 60 to 70.', locale: 'en' as const,
  chart: { kind: 'line' as const, labels: ['2024-01', '2024-02'], series: [{ label: 'Score', values: [60, 70] }] },
  columns: ['Period', 'Score'], rows: [['2024-01', 60], ['2024-02', 70]] as (string | number)[][],
};
const panelOf = (tab: HTMLElement) => document.getElementById(tab.getAttribute('aria-controls')!)!;

describe('ChartFigure\'s Chart | Table tabs (FigureTabs)', () => {
  it('is a tablist: Chart chosen, its panel shown and the table\'s hidden; each tab controls its panel, named by it', () => {
    render(ChartFigure, { ...props, locale: 'vi' });
    const list = screen.getByRole('tablist', { name: 'Cách xem: Total score over time' });
    const tabs = within(list).getAllByRole('tab');
    expect(tabs.map((t) => [t.textContent!.trim(), t.getAttribute('aria-selected'), t.tabIndex])).toEqual([['Biểu đồ', 'true', 0], ['Bảng', 'false', -1]]);
    for (const tab of tabs) {
      expect(panelOf(tab).getAttribute('role')).toBe('tabpanel');
      expect(panelOf(tab).getAttribute('aria-labelledby')).toBe(tab.id);
    }
    expect(panelOf(tabs[0]).hidden).toBe(false);
    expect(panelOf(tabs[1]).hidden).toBe(true);
    expect(panelOf(tabs[0]).querySelector('canvas')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull(); // hidden: not in the accessibility tree
    expect(screen.getByText('Up from 60 to 70.')).toBeTruthy(); // the summary is the figure's, under both tabs
  });

  it('a click chooses the table: its rows shown, the chart hidden', async () => {
    render(ChartFigure, props);
    await fireEvent.click(screen.getByRole('tab', { name: 'Table' }));
    expect(screen.getByRole('tab', { name: 'Table' }).getAttribute('aria-selected')).toBe('true');
    const table = screen.getByRole('table', { name: 'Total score over time' });
    expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual(['PeriodScore', '2024-0160', '2024-0270']);
    expect(panelOf(screen.getByRole('tab', { name: 'Chart' })).hidden).toBe(true);
  });

  it('arrow keys, Home and End move the focus and choose (wrapping), the chosen tab the only one in the tab order', async () => {
    render(ChartFigure, props);
    const [chart, table] = screen.getAllByRole('tab');
    chart.focus();
    await fireEvent.keyDown(chart, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(table);
    expect([chart.getAttribute('aria-selected'), table.getAttribute('aria-selected'), chart.tabIndex, table.tabIndex]).toEqual(['false', 'true', -1, 0]);
    await fireEvent.keyDown(table, { key: 'ArrowRight' }); // wraps to the first
    expect(document.activeElement).toBe(chart);
    expect(chart.getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(chart, { key: 'ArrowLeft' }); // wraps to the last
    expect(document.activeElement).toBe(table);
    await fireEvent.keyDown(table, { key: 'Home' });
    expect(document.activeElement).toBe(chart);
    await fireEvent.keyDown(chart, { key: 'End' });
    expect(document.activeElement).toBe(table);
    expect(table.getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(table, { key: 'ArrowDown' }); // not a key of a horizontal tablist
    expect(table.getAttribute('aria-selected')).toBe('true');
  });

  it('printing shows both panels, the chosen tab again after', async () => {
    render(ChartFigure, props);
    const [chart, table] = screen.getAllByRole('tab');
    dispatchEvent(new Event('beforeprint'));
    await tick();
    expect([panelOf(chart).hidden, panelOf(table).hidden]).toEqual([false, false]);
    dispatchEvent(new Event('afterprint'));
    await tick();
    expect([panelOf(chart).hidden, panelOf(table).hidden]).toEqual([false, true]);
  });

  it('inside a module, each figure\'s tab is the URL\'s ?table=<id>,… through the shell\'s navigate (the others\' kept)', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    const calls: NavigateTo[] = [];
    const app = moduleLifecycles(TwoFigures, { name: 'two' });
    try {
      await app.mount({ domElement: el, locale: 'en', query: {}, navigate: (to: NavigateTo) => calls.push(to) });
      const history = () => within(within(el).getByRole('tablist', { name: 'View: History' }));
      const groups = () => within(within(el).getByRole('tablist', { name: 'View: Groups' }));
      await fireEvent.click(history().getByRole('tab', { name: 'Table' }));
      expect(calls).toEqual([{ query: { table: 'history' }, replace: true }]);
      // the URL decides: nothing switches until the shell passes the new query
      expect(history().getByRole('tab', { name: 'Table' }).getAttribute('aria-selected')).toBe('false');
      await app.update({ query: { table: 'history', peer: 'ward' } });
      await tick();
      expect(history().getByRole('tab', { name: 'Table' }).getAttribute('aria-selected')).toBe('true');
      expect(groups().getByRole('tab', { name: 'Chart' }).getAttribute('aria-selected')).toBe('true');
      expect(within(el).getByRole('table', { name: 'History' })).toBeTruthy();
      await fireEvent.click(groups().getByRole('tab', { name: 'Table' }));
      await fireEvent.click(history().getByRole('tab', { name: 'Chart' }));
      expect(calls.slice(1)).toEqual([{ query: { table: 'groups,history' }, replace: true }, { query: { table: null }, replace: true }]);
      // a chosen tab again: no navigation
      await fireEvent.click(history().getByRole('tab', { name: 'Table' }));
      expect(calls).toHaveLength(3);
    } finally {
      await app.unmount();
      el.remove();
    }
  });
});
