/**
 * A city folder for tests (config/cities/<city>/ laid out in a temporary directory): HCMC's city.json, field list
 * and methods with the registries given (one registry of units in force for ever by default). `CITY=<the folder>`
 * makes every function, script and the local stack load it, as an operator's city would be.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { citiesDir } from '../../functions/src/commons/city.ts';
import type { Registry } from '../../functions/src/domain/structure/structure.ts';
import type { Unit } from '../../shared-types/src/records.ts';

export function writeTestCity(registries: Unit[] | Registry[], options: { dir?: string; timeZone?: string; firstMonth?: string } = {}): string {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'bando-city-'));
  const hcmc = join(citiesDir(), 'hcmc');
  const list: Registry[] = registries.length > 0 && 'units' in registries[0] ? (registries as Registry[]) : [{ registry: 'test', validFrom: null, validTo: null, units: registries as Unit[] }];
  const city = JSON.parse(readFileSync(join(hcmc, 'city.json'), 'utf8'));
  const labelled = new Set(city.peerGroups.map((group: { id: string }) => group.id));
  for (const unit of list.flatMap((registry) => registry.units)) {
    if (labelled.has(unit.peerGroup)) continue;
    labelled.add(unit.peerGroup);
    city.peerGroups.push({ id: unit.peerGroup, name: { vi: unit.peerGroup, en: unit.peerGroup } });
  }
  if (options.timeZone) city.timeZone = options.timeZone;
  if (options.firstMonth) city.firstMonth = options.firstMonth;
  mkdirSync(join(dir, 'registries'), { recursive: true });
  writeFileSync(join(dir, 'city.json'), JSON.stringify(city));
  cpSync(join(hcmc, city.fields), join(dir, city.fields));
  cpSync(join(hcmc, 'methods'), join(dir, 'methods'), { recursive: true });
  for (const registry of list) writeFileSync(join(dir, 'registries', `${registry.registry}.json`), JSON.stringify(registry));
  return dir;
}
