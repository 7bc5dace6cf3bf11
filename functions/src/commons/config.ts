/**
 * The city's configuration, bundled with every function: the unit registry (chosen by
 * `CITY_REGISTRY`), the 1022 field list and the method table in force (`METHOD_ID`).
 * JSON is imported, not read from disk, so esbuild puts it into each Lambda bundle.
 */
import hcmc2024 from '../../../config/units/hcmc-2024.json' with { type: 'json' };
import hcmc2025 from '../../../config/units/hcmc-2025.json' with { type: 'json' };
import hcmcFields from '../../../config/fields/hcmc-1022.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import { getMethod, type MethodTable } from '../../../shared-types/src/method.ts';
import type { Unit } from '../../../shared-types/src/records.ts';
import { checkFeedbackFields, checkRegistry } from './registry.ts';
import type { FeedbackFieldDef } from '../../../shared-types/src/snapshots.ts';

export const registries: Record<string, unknown> = { 'hcmc-2024': hcmc2024, 'hcmc-2025': hcmc2025 };

export interface CityConfig {
  registryName: string;
  units: Unit[];
  fields: FeedbackFieldDef[];
  method: MethodTable;
  /** First month scored. */
  firstMonth: string;
}

/** A bundled registry by name, or (locally) a registry file of the city's own: `CITY_REGISTRY_FILE`. */
export function loadUnits(name: string, file = process.env.CITY_REGISTRY_FILE): Unit[] {
  const raw = file ? JSON.parse(readFileSync(file, 'utf8')) : registries[name];
  if (!raw) throw new Error(`Unknown registry "${name}"; known: ${Object.keys(registries).join(', ')}`);
  return checkRegistry((raw as { units: unknown }).units, `registry "${file ?? name}"`);
}

let cached: CityConfig | undefined;

export function cityConfig(): CityConfig {
  const registryName = process.env.CITY_REGISTRY_FILE ?? process.env.CITY_REGISTRY ?? 'hcmc-2024';
  if (cached?.registryName !== registryName) {
    cached = {
      registryName,
      units: loadUnits(registryName),
      fields: checkFeedbackFields(hcmcFields, 'hcmc-1022').map(({ code, vi, en }) => ({ code, name: { vi, en } })),
      method: getMethod(process.env.METHOD_ID),
      firstMonth: process.env.FIRST_MONTH ?? '2023-01',
    };
  }
  return cached;
}
