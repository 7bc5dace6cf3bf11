import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi } from '@itmap/kit/testing';
import { files, METHOD_766_V1 } from '../../_group/test-data.ts';

// The shared GroupModule is tested in _group/GroupModule.test.ts; this checks the wrapper names its group.
const ids = METHOD_766_V1.indicators.filter((i) => i.group === 'onlineServices').map((i) => i.id);

describe('online-services', () => {
  it('shows the onlineServices indicators of the method table across units', async () => {
    render(App, baseProps(fakeApi(files)));
    const table = await screen.findByRole('table', { name: /^Dịch vụ.*Tháng 3\/2024$/ });
    const heads = within(table).getAllByRole('button').map((b) => b.textContent!.trim().split(' ')[0]);
    expect(heads.filter((h) => /^\d\.\d+$/.test(h))).toEqual(ids);
    expect(heads).toContain('3.4');
    expect(within(table).getAllByRole('row').length).toBeGreaterThan(2);
  });

  it('speaks English', async () => {
    render(App, baseProps(fakeApi(files), { locale: 'en' }));
    expect(await screen.findByRole('table', { name: /March 2024$/ })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(METHOD_766_V1.groups.find((g) => g.key === 'onlineServices')!.name.en);
  });
});
