import { describe, expect, it } from 'vitest';
import type { Unit } from '../../../shared-types/src/records.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRegistry, loadCity, loadRegistry, methodFor } from './city.ts';
import { writeTestCity } from '../../../test/support/test-city.ts';

const ASCII_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function commonChecks(units: Unit[]) {
  const byId = new Map(units.map((u) => [u.id, u]));
  expect(byId.size).toBe(units.length);
  for (const u of units) {
    expect(u.id).toMatch(ASCII_ID);
    if (u.parentId !== null) expect(byId.has(u.parentId), `${u.id} → ${u.parentId}`).toBe(true);
    expect(u.name.vi.length).toBeGreaterThan(0);
    expect(u.name.en).toMatch(/^[\x20-\x7e]+$/);
    if (u.kind !== 'department') expect(u.centroid, u.id).toBeDefined();
  }
  expect(units.filter((u) => u.parentId === null).map((u) => u.id)).toEqual(['hcm']);
  const wards = units.filter((u) => u.kind === 'ward');
  // ward names are unique within their parent
  const names = new Set(wards.map((w) => `${w.parentId}/${w.name.vi}`));
  expect(names.size).toBe(wards.length);
  // electronic certified copies vary
  const offering = wards.filter((w) => w.offersElectronicCertifiedCopy).length;
  expect(offering).toBeGreaterThan(wards.length * 0.5);
  expect(offering).toBeLessThan(wards.length * 0.95);
  for (const u of units) if (u.kind !== 'ward') expect(u.offersElectronicCertifiedCopy).toBe(false);
  return { byId, wards };
}

describe('registry hcmc-2024', () => {
  const units = loadRegistry('hcmc-2024');

  it('has the city, its departments, Thủ Đức city and 21 districts, and 312 wards', () => {
    const { byId, wards } = commonChecks(units);
    const districts = units.filter((u) => u.kind === 'district');
    expect(districts).toHaveLength(22);
    expect(byId.get('thu-duc')).toMatchObject({ kind: 'district', parentId: 'hcm', peerGroup: 'district-urban', name: { vi: 'Thành phố Thủ Đức' } });
    expect(districts.filter((d) => d.peerGroup === 'district-urban')).toHaveLength(17); // 16 urban districts + Thủ Đức
    expect(districts.filter((d) => d.peerGroup === 'district-rural')).toHaveLength(5);
    expect(wards).toHaveLength(312);
    const departments = units.filter((u) => u.kind === 'department');
    expect(departments.length).toBeGreaterThanOrEqual(21);
    for (const d of departments) expect(d).toMatchObject({ parentId: 'hcm', peerGroup: 'department' });
    for (const w of wards) expect(byId.get(w.parentId!)!.kind).toBe('district');
  });

  it('counts 249 wards (34 in Thủ Đức), 58 communes and 5 townships with the right peer groups', () => {
    const wards = units.filter((u) => u.kind === 'ward');
    const phuong = wards.filter((w) => w.name.vi.startsWith('Phường '));
    const xa = wards.filter((w) => w.name.vi.startsWith('Xã '));
    const tt = wards.filter((w) => w.name.vi.startsWith('Thị trấn '));
    expect([phuong.length, xa.length, tt.length]).toEqual([249, 58, 5]);
    expect(wards.filter((w) => w.parentId === 'thu-duc')).toHaveLength(34);
    for (const w of phuong) expect(w.peerGroup).toBe('ward-urban');
    for (const w of [...xa, ...tt]) expect(w.peerGroup).toBe('commune-rural');
    expect(units.find((u) => u.id === 'q1-ben-nghe')?.name.vi).toBe('Phường Bến Nghé');
    expect(units.find((u) => u.id === 'q3-vo-thi-sau')?.name.vi).toBe('Phường Võ Thị Sáu');
  });

  it('places every unit inside the old city (lon 106.35–107.05, lat 10.35–11.20)', () => {
    for (const u of units) {
      if (!u.centroid) continue;
      const [lon, lat] = u.centroid;
      expect(lon, u.id).toBeGreaterThan(106.35);
      expect(lon, u.id).toBeLessThan(107.05);
      expect(lat, u.id).toBeGreaterThan(10.35);
      expect(lat, u.id).toBeLessThan(11.2);
    }
  });
});

describe('registry hcmc-2025', () => {
  const units = loadRegistry('hcmc-2025');

  it('has no district level and 168 wards, communes and the special zone under the city', () => {
    const { wards } = commonChecks(units);
    expect(units.filter((u) => u.kind === 'district')).toHaveLength(0);
    expect(wards).toHaveLength(168);
    for (const w of wards) expect(w.parentId).toBe('hcm');
    expect(wards.filter((w) => w.name.vi.startsWith('Phường '))).toHaveLength(113);
    expect(wards.filter((w) => w.name.vi.startsWith('Xã '))).toHaveLength(54);
    expect(wards.filter((w) => w.name.vi.startsWith('Đặc khu '))).toHaveLength(1);
    const departments = units.filter((u) => u.kind === 'department').map((u) => u.name.vi);
    expect(departments).toContain('Sở Nông nghiệp và Môi trường');
    expect(departments).not.toContain('Sở Kế hoạch và Đầu tư');
  });
});

describe('checkRegistry', () => {
  const unit = (id: string, parentId: string | null, kind: Unit['kind'] = 'ward'): Unit => ({
    id, parentId, kind, name: { vi: id, en: id }, peerGroup: kind, offersElectronicCertifiedCopy: false,
  });

  it('rejects duplicate ids, missing parents, cycles and more than one root', () => {
    expect(() => checkRegistry([unit('a', null, 'city'), unit('b', 'a'), unit('b', 'a')])).toThrow(/duplicate unit id "b"/);
    expect(() => checkRegistry([unit('a', null, 'city'), unit('b', 'x')])).toThrow(/unit "b"\.parentId: unknown parent unit "x"/);
    expect(() => checkRegistry([unit('a', null, 'city'), unit('b', 'c'), unit('c', 'b')])).toThrow(/cycle/);
    expect(() => checkRegistry([unit('a', null, 'city'), unit('b', null, 'city')])).toThrow(/exactly one root.*found 2: a, b/);
    expect(() => checkRegistry([{ ...unit('a', null, 'city'), extra: 1 }])).toThrow(/unknown field/);
    expect(checkRegistry([unit('a', null, 'city'), unit('b', 'a')])).toHaveLength(2);
  });
});

describe('the city of HCMC (config/cities/hcmc)', () => {
  const city = loadCity('hcmc');

  it('has both structures in force, each for its dates, and the 18 fields of the 1022 portal', () => {
    expect(city.registries.map((r) => [r.registry, r.validFrom, r.validTo])).toEqual([['hcmc-2024', '2021-01-01', '2025-06-30'], ['hcmc-2025', '2025-07-01', null]]);
    expect(city.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(city.fields).toHaveLength(18);
    expect(city.fields.map((f) => f.code)).toContain('other');
    expect(methodFor(city.methods, '2025-07').id).toBe('766-v1');
    expect(() => loadRegistry('hcmc-2023')).toThrow(/has no registry "hcmc-2023" \(it has hcmc-2024, hcmc-2025\)/);
  });

  it('refuses unknown cities and paths that climb out', () => {
    expect(() => loadCity('no-such-city')).toThrow(/unknown city "no-such-city"/);
    expect(() => loadCity('..')).toThrow(/unknown city/);
  });
});

describe('loadCity: a city folder is checked at load, each problem named with its file', () => {
  const unit = (id: string, parentId: string | null, kind: Unit['kind']): Unit => ({ id, parentId, kind, name: { vi: id, en: id }, peerGroup: kind, offersElectronicCertifiedCopy: false });
  const folder = (edit: (dir: string) => void) => {
    const dir = writeTestCity([unit('c', null, 'city'), unit('w', 'c', 'ward')]);
    edit(dir);
    return dir;
  };
  const json = (path: string, change: (doc: Record<string, unknown>) => void) => {
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    change(doc);
    writeFileSync(path, JSON.stringify(doc));
  };

  it('loads a small city of its own, in its own time zone', () => {
    const city = loadCity(folder((dir) => json(join(dir, 'city.json'), (doc) => (doc.timeZone = 'Asia/Tokyo'))));
    expect(city.units.map((u) => u.id)).toEqual(['c', 'w']);
    expect(city.timeZone).toBe('Asia/Tokyo');
    loadCity('hcmc'); // back to HCMC's zone for the other tests
  });

  it('refuses an unknown time zone, a method that does not add up, an unlabelled peer group, a registry with a bad date', () => {
    expect(() => loadCity(folder((dir) => json(join(dir, 'city.json'), (doc) => (doc.timeZone = 'Mars/Base'))))).toThrow(/unknown time zone "Mars\/Base"/);
    expect(() => loadCity(folder((dir) => json(join(dir, 'methods/766-v1.json'), (doc) => ((doc.groups as { max: number }[])[0].max = 17))))).toThrow(/766-v1\.json is invalid:\n {2}groups\.0\.max: is 17 but its indicators add up to 18/);
    expect(() => loadCity(folder((dir) => json(join(dir, 'city.json'), (doc) => (doc.peerGroups = (doc.peerGroups as { id: string }[]).filter((g) => g.id !== 'ward')))))).toThrow(/peerGroups: no label for "ward"/);
    expect(() => loadCity(folder((dir) => json(join(dir, 'registries/test.json'), (doc) => (doc.validFrom = '2024-13-01'))))).toThrow(/registry "test": validFrom must be a date YYYY-MM-DD/);
    expect(() => loadCity(folder((dir) => json(join(dir, 'city.json'), (doc) => (doc.methods = [{ id: '766-v9', activeFrom: '2023-01' }]))))).toThrow(/cannot read .*766-v9\.json/);
    loadCity('hcmc');
  });
});
