/**
 * Unit search in the header: an ARIA 1.2 combobox over the registry. Matches names with or
 * without diacritics ("ben nghe" finds "Phường Bến Nghé", "da kao" finds "Đa Kao"), shows the
 * parent unit to tell apart same-named wards, and navigates to the unit's profile.
 */
import { searchUnits, lt, type Locale, type Unit, type UnitEntry } from '../../microfrontends/_kit/core.ts';

export interface UnitSearchOptions {
  input: HTMLInputElement;
  form: HTMLFormElement;
  message: HTMLElement;
  units: () => Unit[];
  locale: () => Locale;
  notFound: (q: string) => string;
  onPick: (unit: Unit) => void;
}

const MAX_OPTIONS = 8;

export function wireUnitSearch(o: UnitSearchOptions): { close(): void } {
  const { input, form, message } = o;
  input.removeAttribute('list');
  const list = document.createElement('ul');
  list.id = 'unit-options';
  list.className = 'unit-options';
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  input.after(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');
  (input.parentElement ?? form).classList.add('unit-search');

  let results: Unit[] = [];
  let active = -1;
  const byId = () => new Map(o.units().map((u) => [u.id, u]));

  function render() {
    const L = o.locale();
    const index = byId();
    list.replaceChildren(...results.map((u, i) => {
      const li = document.createElement('li');
      li.id = `unit-option-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === active));
      li.className = 'unit-options__item';
      li.textContent = lt(u.name, L);
      // what tells same-named units apart: the parent below the city, else the official code; and a former unit's last day
      const parent = u.parentId ? index.get(u.parentId) : undefined;
      const validTo = (u as UnitEntry).validTo;
      const parts = [
        parent && parent.parentId !== null ? lt(parent.name, L) : u.code ? (L === 'vi' ? `mã ${u.code}` : `code ${u.code}`) : '',
        validTo ? (L === 'vi' ? `đến ${validTo.split('-').reverse().join('/')}` : `until ${validTo}`) : '',
      ].filter(Boolean);
      if (parts.length > 0) {
        const small = document.createElement('span');
        small.className = 'unit-options__parent';
        small.textContent = ` · ${parts.join(' · ')}`;
        li.append(small);
      }
      li.addEventListener('mousedown', (e) => { e.preventDefault(); pick(u); });
      return li;
    }));
    const open = results.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (active >= 0) input.setAttribute('aria-activedescendant', `unit-option-${active}`);
    else input.removeAttribute('aria-activedescendant');
  }
  function close() { results = []; active = -1; render(); }
  function pick(u: Unit) {
    message.textContent = '';
    input.value = '';
    close();
    o.onPick(u);
  }

  input.addEventListener('input', () => {
    results = searchUnits(o.units(), input.value, MAX_OPTIONS);
    active = -1;
    message.textContent = '';
    render();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!results.length) results = searchUnits(o.units(), input.value, MAX_OPTIONS);
      if (!results.length) return;
      e.preventDefault();
      active = e.key === 'ArrowDown' ? (active + 1) % results.length : (active <= 0 ? results.length : active) - 1;
      render();
    } else if (e.key === 'Escape') {
      if (results.length) { e.preventDefault(); close(); }
    } else if (e.key === 'Enter' && active >= 0 && results[active]) {
      e.preventDefault();
      pick(results[active]);
    }
  });
  input.addEventListener('blur', () => close());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value;
    if (!q.trim()) return;
    const unit = results[active] ?? searchUnits(o.units(), q, 1)[0];
    if (unit) pick(unit);
    else { close(); message.textContent = o.notFound(q); }
  });
  return { close };
}
