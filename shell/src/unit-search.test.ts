// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { wireUnitSearch } from './unit-search.ts';
import { searchUnits, foldText, type Unit } from '../../microfrontends/_kit/core.ts';

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
});
