// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { PAGE, wireUnitSearch } from './unit-search.ts';
import { searchUnits, foldText, type Unit } from '@itmap/kit/core';

const u = (id: string, vi: string, en: string, parentId: string | null = 'q1', kind: Unit['kind'] = 'ward') =>
  ({ id, parentId, kind, name: { vi, en }, peerGroup: kind, offersElectronicCertifiedCopy: false }) as Unit;
const units = [
  u('hcm', 'TP. Hồ Chí Minh', 'Ho Chi Minh City', null, 'city'),
  u('q1', 'Quận 1', 'District 1', 'hcm', 'district'),
  u('q3', 'Quận 3', 'District 3', 'hcm', 'district'),
  u('q1-ben-nghe', 'Phường Bến Nghé', 'Ben Nghe Ward'),
  u('q1-ben-thanh', 'Phường Bến Thành', 'Ben Thanh Ward'),
  u('q1-da-kao', 'Phường Đa Kao', 'Da Kao Ward'),
  u('q3-p1', 'Phường 1', 'Ward 1', 'q3'),
  u('q1-dakao2', 'Phường Dã Kao', 'Da Kao 2', 'q1'),
];

describe('unit search', () => {
  it('folds diacritics and đ', () => {
    expect(foldText('Phường  Bến Nghé')).toBe('phuong ben nghe');
    expect(foldText('ĐA KAO')).toBe('da kao');
  });

  it('finds names with or without diacritics, best match first', () => {
    expect(searchUnits(units, 'ben nghe').map((x) => x.id)).toEqual(['q1-ben-nghe']);
    expect(searchUnits(units, 'Bến Nghé')[0].id).toBe('q1-ben-nghe');
    expect(searchUnits(units, 'phuong ben nghe')[0].id).toBe('q1-ben-nghe');
    expect(searchUnits(units, 'đa kao').map((x) => x.id)).toEqual(['q1-da-kao', 'q1-dakao2']);
    expect(searchUnits(units, 'da kao')[0].id).toBe('q1-da-kao');
    expect(searchUnits(units, 'ben').map((x) => x.id)).toEqual(['q1-ben-nghe', 'q1-ben-thanh']);
    expect(searchUnits(units, 'quan 3')[0].id).toBe('q3');
    expect(searchUnits(units, 'district 1')[0].id).toBe('q1');
    expect(searchUnits(units, 'q3-p1')[0].id).toBe('q3-p1');
    expect(searchUnits(units, 'xyz')).toEqual([]);
    expect(searchUnits(units, '  ')).toEqual([]);
  });

  it('finds a unit by its official code, and the structure in force today before former units', () => {
    const merged = [
      { ...u('q1-tan-dinh', 'Phường Tân Định', 'Tan Dinh Ward'), code: '26734', validTo: '2025-06-30' },
      { ...u('phuong-tan-dinh', 'Phường Tân Định', 'Tan Dinh Ward', 'hcm'), code: '26737', validFrom: '2025-07-01', validTo: null },
    ];
    expect(searchUnits(merged, 'tan dinh').map((x) => x.id)).toEqual(['phuong-tan-dinh', 'q1-tan-dinh']);
    expect(searchUnits(merged, '26734').map((x) => x.id)).toEqual(['q1-tan-dinh']);
  });

  it('is a combobox: options with the parent, arrows, Enter, Escape, not-found message', () => {
    document.body.innerHTML = '<form id="f"><div><input id="i" list="unit-list"></div><p id="m"></p></form>';
    const input = document.getElementById('i') as HTMLInputElement;
    const picked: string[] = [];
    wireUnitSearch({
      input, form: document.getElementById('f') as HTMLFormElement, message: document.getElementById('m')!,
      units: () => units, locale: () => 'vi', notFound: (q) => `none: ${q}`, onPick: (x) => picked.push(x.id),
    });
    expect(input.getAttribute('role')).toBe('combobox');
    expect(input.hasAttribute('list')).toBe(false);
    input.value = 'phuong 1';
    input.dispatchEvent(new Event('input'));
    const list = document.getElementById('unit-options')!;
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(list.textContent).toContain('Phường 1 · Quận 3');
    input.value = 'ben';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    expect(input.getAttribute('aria-activedescendant')).toBe('unit-option-1');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(picked).toEqual(['q1-ben-thanh']);
    expect(list.hidden).toBe(true);
    input.value = 'ben nghe';
    (document.getElementById('f') as HTMLFormElement).requestSubmit();
    expect(picked).toEqual(['q1-ben-thanh', 'q1-ben-nghe']);
    input.value = 'nowhere';
    (document.getElementById('f') as HTMLFormElement).requestSubmit();
    expect(document.getElementById('m')!.textContent).toBe('none: nowhere');
    input.value = 'ben';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(input.getAttribute('aria-expanded')).toBe('false');
  });

  it('searches within a unit (a district) when asked, through every level below it', () => {
    const deep = [...units, u('q3-p1-kp1', 'Khu phố 1', 'Quarter 1', 'q3-p1', 'ward')];
    expect(searchUnits(units, 'phuong', 10, { within: 'q3' }).map((x) => x.id)).toEqual(['q3-p1']);
    expect(searchUnits(deep, '1', 10, { within: 'q3' }).map((x) => x.id).sort()).toEqual(['q3-p1', 'q3-p1-kp1']);
    expect(searchUnits(units, 'quan 1', 10, { within: 'q1' }).map((x) => x.id)).toEqual(['q1']);
    expect(searchUnits(units, 'phuong', 10, { within: null })).toHaveLength(5);
  });

  it('lists every match a page at a time ("more"), and in a chosen district offers the whole city', () => {
    // 20 wards of District 3 and 3 of District 1 named "Phường …": more than a page
    const many = [...units.slice(0, 3), ...Array.from({ length: 20 }, (_, i) => u(`q3-p${i + 1}`, `Phường ${i + 1}`, `Ward ${i + 1}`, 'q3')), ...units.slice(3, 6)];
    document.body.innerHTML = '<form id="f"><div><input id="i"></div><p id="m"></p></form>';
    const input = document.getElementById('i') as HTMLInputElement;
    const picked: string[] = [];
    let district: string | null = null;
    wireUnitSearch({
      input, form: document.getElementById('f') as HTMLFormElement, message: document.getElementById('m')!,
      units: () => many, locale: () => 'en', notFound: (q) => `none: ${q}`, onPick: (x) => picked.push(x.id), district: () => district,
    });
    const list = document.getElementById('unit-options')!;
    const units_ = () => [...list.querySelectorAll('li:not([data-option])')].map((li) => li.id);
    const more = () => list.querySelector<HTMLElement>('[data-option="more"]');
    input.value = 'phuong';
    input.dispatchEvent(new Event('input'));
    expect(units_()).toHaveLength(PAGE);
    expect(more()!.textContent).toBe('Show 8 more (showing 8 of 23)');
    expect(list.querySelector('li')!.getAttribute('aria-setsize')).toBe('23');
    // the keyboard reaches "more": the arrows go past the last unit to it, Enter lists the next page and stays in the list
    for (let i = 0; i <= PAGE; i++) input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    expect(input.getAttribute('aria-activedescendant')).toBe(more()!.id);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(picked).toEqual([]);
    expect(units_()).toHaveLength(2 * PAGE);
    expect(input.getAttribute('aria-activedescendant')).toBe(`unit-option-${PAGE}`);
    more()!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    expect(units_()).toHaveLength(23);
    expect(more()).toBeNull();
    // with District 1 chosen: its 3 wards, and an option for the 20 elsewhere
    district = 'q1';
    input.dispatchEvent(new Event('input'));
    expect(units_().map((id) => document.getElementById(id)!.textContent!.split(' · ')[0]).sort()).toEqual(['Ben Nghe Ward', 'Ben Thanh Ward', 'Da Kao Ward']);
    const everywhere = list.querySelector<HTMLElement>('[data-option="everywhere"]')!;
    expect(everywhere.textContent).toBe('Search the whole city, not only District 1 (20 more matches)');
    everywhere.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    expect(units_()).toHaveLength(PAGE);
    expect(more()!.textContent).toContain('of 23');
    expect(list.querySelector('[data-option="everywhere"]')).toBeNull();
    // Enter on the form picks the best match in the district
    input.value = '';
    input.dispatchEvent(new Event('input'));
    input.value = 'phuong';
    (document.getElementById('f') as HTMLFormElement).requestSubmit();
    expect(picked).toEqual(['q1-da-kao']); // the best match of District 1 (shortest name), not of District 3
  });
});
