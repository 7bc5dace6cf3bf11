/**
 * The city's structure over time (INDEX-766.md § The city's structure over time). A city has several
 * registries, each in force for its own dates; all of them are in force together, each for its dates. Unit ids
 * are unique across them: a unit that lives on unchanged (the city, a department) keeps its id and is the same
 * unit in every registry that lists it.
 *
 * - A period P = [start, end), judged at e = min(end, asOf), is scored for every unit of the registries in
 *   force at some instant of [start, e); a unit not in force at e (the last instant judged) ceased during P:
 *   it keeps its figures, is `retired` and is not ranked.
 * - A unit's subtree is taken within its own registry; a unit of several registries pools the subtrees it has in
 *   each: its dated records (dossiers, feedback) from all of them, so a dossier a merger moved to a successor still
 *   counts for the city in the months before the merger; what is not dated — a ward counting itself for 4.3, the
 *   catalogue of 1.3, 3.2, 4.7 — only from the units in force during P (a ceased ward's catalogue is not today's).
 * - A dossier's or feedback's unit must be in force at its `receivedAt`, or be a successor (through
 *   `predecessors`, at any depth) of a unit in force then: a dossier a merger moved is a later copy.
 */
import { dayStartOf } from '../../../../shared-types/src/periods.ts';
import type { Unit } from '../../../../shared-types/src/records.ts';

/** A registry as configured: `validFrom`/`validTo` are calendar dates in the city's zone, both inclusive; null is open. */
export interface Registry {
  registry: string;
  about?: string;
  /** what was checked against an official source, and what was not */
  checked?: string;
  validFrom: string | null;
  validTo: string | null;
  /** demo data only: the registry's volume relative to the others (e.g. 1.4 for a city grown by a merger) */
  demoVolume?: number;
  units: Unit[];
}

/** A registry with its dates as the half-open instants [fromMs, toMs). */
export interface DatedRegistry {
  name: string;
  validFrom: string | null;
  validTo: string | null;
  fromMs: number;
  toMs: number;
  units: readonly Unit[];
  byId: ReadonlyMap<string, Unit>;
}

export interface Structure {
  /** oldest first */
  registries: readonly DatedRegistry[];
  /** every unit once, with the attributes of the latest registry that lists it, in registry order */
  units: readonly Unit[];
  byId: ReadonlyMap<string, Unit>;
  /** the registries that list each unit, oldest first */
  registriesOf: ReadonlyMap<string, readonly DatedRegistry[]>;
}

/** The structure of one period: who is scored, who ceased, and whose records each unit pools. */
export interface PeriodStructure {
  /** the units scored, with their attributes in the period (the latest registry in force then that lists them) */
  units: readonly Unit[];
  /** units that ceased during the period: scored, not ranked */
  retired: ReadonlySet<string>;
  /** the same units by id */
  byId: ReadonlyMap<string, Unit>;
  /** per unit scored: itself and its descendants in every registry that lists it (whose dated records it pools) */
  members: ReadonlyMap<string, readonly string[]>;
}

const ALWAYS: Pick<DatedRegistry, 'fromMs' | 'toMs'> = { fromMs: -Infinity, toMs: Infinity };

/** The calendar day after a `YYYY-MM-DD` (a day is not always 24 hours long: daylight saving time). */
function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(next.getTime())) return 'invalid';
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** One registry in force for ever: a plain list of units (tests, the worked example). */
export function registryOfUnits(units: readonly Unit[], name = 'registry'): Registry {
  return { registry: name, validFrom: null, validTo: null, units: [...units] };
}

/**
 * Indexes a city's registries. Throws an Error naming the registry and unit on: dates that are not `YYYY-MM-DD`,
 * a registry ending before it starts, two registries in force at the same instant, a predecessor that is unknown
 * or not in an earlier registry.
 */
export function structureOf(docs: readonly Registry[]): Structure {
  const registries = docs
    .map((doc): DatedRegistry => {
      const fromMs = doc.validFrom === null ? ALWAYS.fromMs : dayStartOf(doc.validFrom);
      // validTo is the last day in force: the registry holds until the next day's midnight
      const toMs = doc.validTo === null ? ALWAYS.toMs : Number.isNaN(dayStartOf(doc.validTo)) ? NaN : dayStartOf(dayAfter(doc.validTo));
      if (Number.isNaN(fromMs)) throw new Error(`registry "${doc.registry}": validFrom must be a date YYYY-MM-DD or null`);
      if (Number.isNaN(toMs)) throw new Error(`registry "${doc.registry}": validTo must be a date YYYY-MM-DD or null`);
      if (toMs <= fromMs) throw new Error(`registry "${doc.registry}": validTo (${doc.validTo}) is before validFrom (${doc.validFrom})`);
      return { name: doc.registry, validFrom: doc.validFrom, validTo: doc.validTo, fromMs, toMs, units: doc.units, byId: new Map(doc.units.map((u) => [u.id, u])) };
    })
    .sort((a, b) => a.fromMs - b.fromMs);
  for (let i = 1; i < registries.length; i++) {
    if (registries[i].fromMs < registries[i - 1].toMs) throw new Error(`registries "${registries[i - 1].name}" and "${registries[i].name}" are in force at the same time: one must end before the other starts`);
  }
  const byId = new Map<string, Unit>();
  const registriesOf = new Map<string, DatedRegistry[]>();
  for (const registry of registries) {
    for (const unit of registry.units) {
      byId.set(unit.id, unit);
      const list = registriesOf.get(unit.id);
      if (list) list.push(registry);
      else registriesOf.set(unit.id, [registry]);
    }
  }
  for (const registry of registries) {
    for (const unit of registry.units) {
      for (const { id } of unit.predecessors ?? []) {
        const earlier = registriesOf.get(id)?.some((r) => r.fromMs < registry.fromMs);
        if (!earlier) throw new Error(`registry "${registry.name}": unit "${unit.id}".predecessors names "${id}", which is in no earlier registry`);
      }
    }
  }
  const order = new Map<string, number>();
  for (const registry of registries) for (const unit of registry.units) if (!order.has(unit.id)) order.set(unit.id, order.size);
  const units = [...byId.values()].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { registries, units, byId, registriesOf };
}

/** The registries in force at some instant of [startMs, evalAtMs). */
export function registriesDuring(structure: Structure, startMs: number, evalAtMs: number): DatedRegistry[] {
  return structure.registries.filter((r) => r.fromMs < evalAtMs && r.toMs > startMs);
}

const periodCache = new WeakMap<Structure, Map<string, PeriodStructure>>();

/** The structure of the period [startMs, endMs) judged at evalAtMs (≤ endMs). */
export function structureIn(structure: Structure, startMs: number, evalAtMs: number): PeriodStructure {
  const during = registriesDuring(structure, startMs, evalAtMs);
  // "in force at e": the registry holds at the last instant judged, just before e
  const atEnd = during.filter((r) => r.fromMs < evalAtMs && evalAtMs <= r.toMs);
  const key = `${during.map((r) => r.name).join('|')}>${atEnd.map((r) => r.name).join('|')}`;
  let cache = periodCache.get(structure);
  if (!cache) periodCache.set(structure, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached;

  const attributes = new Map<string, Unit>();
  for (const registry of during) for (const unit of registry.units) attributes.set(unit.id, unit);
  const units = structure.units.filter((u) => attributes.has(u.id)).map((u) => attributes.get(u.id)!);
  const inForceAtEnd = new Set(atEnd.flatMap((r) => r.units.map((u) => u.id)));
  const retired = new Set(units.filter((u) => !inForceAtEnd.has(u.id)).map((u) => u.id));
  // members: every unit adds itself to each of its ancestors, in every registry
  const members = new Map<string, Set<string>>(units.map((u) => [u.id, new Set([u.id])]));
  for (const registry of structure.registries) {
    for (const unit of registry.units) {
      const seen = new Set<string>();
      for (let up = unit.parentId; up !== null && !seen.has(up); up = registry.byId.get(up)?.parentId ?? null) {
        seen.add(up);
        members.get(up)?.add(unit.id);
      }
    }
  }
  const result: PeriodStructure = { units, byId: attributes, retired, members: new Map([...members].map(([id, set]) => [id, [...set]])) };
  cache.set(key, result);
  return result;
}

/** The units in force at an instant (attributes of the registry in force then). */
export function unitsAt(structure: Structure, atMs: number): Unit[] {
  return structure.registries.filter((r) => r.fromMs <= atMs && atMs < r.toMs).flatMap((r) => r.units);
}

/** True when the unit is listed by a registry in force at the instant. */
export function inForceAt(structure: Structure, unitId: string, atMs: number): boolean {
  return structure.registriesOf.get(unitId)?.some((r) => r.fromMs <= atMs && atMs < r.toMs) ?? false;
}

/**
 * Whether a dossier or feedback received at `receivedMs` may name the unit: it is in force then, or it
 * succeeded (through predecessors, at any depth) a unit in force then.
 */
export function acceptsRecordAt(structure: Structure, unitId: string, receivedMs: number): boolean {
  const seen = new Set<string>();
  const visit = (id: string): boolean => {
    if (seen.has(id)) return false;
    seen.add(id);
    if (inForceAt(structure, id, receivedMs)) return true;
    return (structure.byId.get(id)?.predecessors ?? []).some((p) => visit(p.id));
  };
  return visit(unitId);
}

/** Units that name this one among their predecessors: where a ceased unit went. */
export function successorsOf(structure: Structure, unitId: string): Unit[] {
  return structure.units.filter((u) => u.predecessors?.some((p) => p.id === unitId));
}

/** True when `unitId` is one of `scopes` or lies below one of them, in any registry. */
export function withinScopes(structure: Structure, unitId: string, scopes: readonly string[]): boolean {
  for (const registry of structure.registriesOf.get(unitId) ?? []) {
    const seen = new Set<string>();
    for (let id: string | null = unitId; id !== null && !seen.has(id); id = registry.byId.get(id)?.parentId ?? null) {
      if (scopes.includes(id)) return true;
      seen.add(id);
    }
  }
  return false;
}

/** The first and last day a unit is in force, over all its registries (null: open). */
export function datesOf(structure: Structure, unitId: string): { validFrom: string | null; validTo: string | null } {
  const listed = structure.registriesOf.get(unitId) ?? [];
  return { validFrom: listed[0]?.validFrom ?? null, validTo: listed.at(-1)?.validTo ?? null };
}

/** The units the engine is given: a structure, or one registry's units in force for ever. */
export type Units = readonly Unit[] | Structure;

const ofLists = new WeakMap<readonly Unit[], Structure>();

export function asStructure(units: Units): Structure {
  if (!Array.isArray(units)) return units as Structure;
  const list = units as readonly Unit[];
  let structure = ofLists.get(list);
  if (!structure) ofLists.set(list, (structure = structureOf([registryOfUnits(list)])));
  return structure;
}

/** A unit as the API and snapshots list it: its registry entry, its dates, where it went. */
export interface UnitEntry extends Unit {
  /** the registry its attributes come from (the latest that lists it, among those considered) */
  registry: string;
  validFrom: string | null;
  validTo: string | null;
  /** units that name it among their predecessors */
  successors?: string[];
  /** ceased during the period asked for */
  retired?: true;
}

/** Entries for units (all of the structure's when none are given), with the retired flag of a period. */
export function unitEntries(structure: Structure, units: readonly Unit[] = structure.units, retired: ReadonlySet<string> = new Set()): UnitEntry[] {
  return units.map((unit) => {
    const listed = structure.registriesOf.get(unit.id) ?? [];
    const registry = [...listed].reverse().find((r) => r.byId.get(unit.id) === unit) ?? listed.at(-1)!;
    const successors = successorsOf(structure, unit.id).map((u) => u.id);
    return {
      ...unit,
      registry: registry.name,
      ...datesOf(structure, unit.id),
      ...(successors.length > 0 ? { successors } : {}),
      ...(retired.has(unit.id) ? { retired: true as const } : {}),
    };
  });
}

/** The units whose dated records `rootId` pools in the period (null: every unit, the whole city). */
export function membersOf(period: PeriodStructure, rootId: string | null, structure?: Structure): Set<string> {
  if (rootId === null) return new Set((structure ?? period).units.map((u) => u.id));
  return new Set(period.members.get(rootId) ?? []);
}

/** A unit and everything below it in any registry (every unit when null): a key's reach, a test's district. */
export function subtreeOf(units: Units, rootId: string | null): Set<string> {
  const structure = asStructure(units);
  return membersOf(structureIn(structure, -Infinity, Infinity), rootId, structure);
}
