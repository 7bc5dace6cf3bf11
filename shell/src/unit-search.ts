/**
 * Unit search in the header: an ARIA 1.2 combobox over the registry. Matches names with or
 * without diacritics ("ben nghe" finds "Phường Bến Nghé", "da kao" finds "Đa Kao"), shows the
 * parent unit to tell apart same-named wards, and navigates to the unit's profile. Every match can be reached: a
 * page of PAGE options, then a "more" option for the next page; with a district chosen (?district=) it searches
 * there, and an option offers the whole city when it has more.
 */
import { searchUnits, lt, type Locale, type Unit, type UnitEntry } from '@itmap/kit/core';

export interface UnitSearchOptions {
  input: HTMLInputElement;
  form: HTMLFormElement;
  message: HTMLElement;
  units: () => Unit[];
  locale: () => Locale;
  notFound: (q: string) => string;
  onPick: (unit: Unit) => void;
  /** the chosen district (?district=), searched alone; null: the whole city */
  district?: () => string | null;
}

export const PAGE = 8;
const STRINGS = {
  vi: { more: 'Xem thêm {n} kết quả (đã hiện {shown}/{total})', everywhere: 'Tìm cả thành phố, không chỉ {district} (thêm {n} kết quả)' },
  en: { more: 'Show {n} more (showing {shown} of {total})', everywhere: 'Search the whole city, not only {district} ({n} more matches)' },
} as const;
const say = (l: Locale, key: keyof (typeof STRINGS)['vi'], vars: Record<string, string | number>) => STRINGS[l][key].replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));

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

  // every match of the query (in the district, or everywhere), the first `shown` of them listed
  let matches: Unit[] = [];
  let shown = 0;
  let elsewhere = 0;
  let everywhere = false;
  let active = -1;
  let results: Unit[] = [];
  const byId = () => new Map(o.units().map((u) => [u.id, u]));
  const scope = () => (everywhere ? null : o.district?.() ?? null);

  function search(reset: boolean) {
    const within = scope();
    matches = searchUnits(o.units(), input.value, Infinity, { within });
    elsewhere = within ? searchUnits(o.units(), input.value, Infinity).length - matches.length : 0;
    if (reset) shown = Math.min(PAGE, matches.length);
    results = matches.slice(0, shown);
  }
  /** the options after the units: "more" while some are not listed, "the whole city" when the district hides some */
  const extras = (): ('more' | 'everywhere')[] => [...(shown < matches.length ? ['more' as const] : []), ...(elsewhere > 0 ? ['everywhere' as const] : [])];
  const count = () => results.length + extras().length;
  function activate(i: number) {
    if (i < results.length) { pick(results[i]); return; }
    if (extras()[i - results.length] === 'more') {
      shown = Math.min(shown + PAGE, matches.length);
      results = matches.slice(0, shown);
      active = i; // the first option of the new page
    } else {
      everywhere = true;
      search(true);
      active = 0;
    }
    render();
  }

  function render() {
    const L = o.locale();
    const index = byId();
    const district = scope() ? index.get(scope()!) : undefined;
    const options = results.map((u, i) => {
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
      li.setAttribute('aria-setsize', String(matches.length));
      li.setAttribute('aria-posinset', String(i + 1));
      li.addEventListener('mousedown', (e) => { e.preventDefault(); pick(u); });
      return li;
    });
    extras().forEach((kind, k) => {
      const i = results.length + k;
      const li = document.createElement('li');
      li.id = `unit-option-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === active));
      li.className = `unit-options__item unit-options__${kind}`;
      li.dataset.option = kind;
      li.textContent = kind === 'more'
        ? say(L, 'more', { n: Math.min(PAGE, matches.length - shown), shown, total: matches.length })
        : say(L, 'everywhere', { n: elsewhere, district: district ? lt(district.name, L) : '' });
      li.addEventListener('mousedown', (e) => { e.preventDefault(); activate(i); });
      options.push(li);
    });
    list.replaceChildren(...options);
    document.getElementById(`unit-option-${active}`)?.scrollIntoView?.({ block: 'nearest' });
    const open = options.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (active >= 0) input.setAttribute('aria-activedescendant', `unit-option-${active}`);
    else input.removeAttribute('aria-activedescendant');
  }
  function close() { results = []; matches = []; shown = 0; elsewhere = 0; active = -1; render(); }
  function pick(u: Unit) {
    message.textContent = '';
    input.value = '';
    close();
    o.onPick(u);
  }

  input.addEventListener('input', () => {
    if (!input.value.trim()) everywhere = false;
    search(true);
    active = -1;
    message.textContent = '';
    render();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!count()) search(true);
      if (!count()) return;
      e.preventDefault();
      active = e.key === 'ArrowDown' ? (active + 1) % count() : (active <= 0 ? count() : active) - 1;
      render();
    } else if (e.key === 'Escape') {
      if (results.length) { e.preventDefault(); close(); }
    } else if (e.key === 'Enter' && active >= 0 && active < count()) {
      e.preventDefault();
      activate(active);
    }
  });
  input.addEventListener('blur', () => close());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value;
    if (!q.trim()) return;
    const unit = results[active] ?? searchUnits(o.units(), q, 1, { within: scope() })[0] ?? searchUnits(o.units(), q, 1)[0];
    if (unit) pick(unit);
    else { close(); message.textContent = o.notFound(q); }
  });
  return { close };
}
