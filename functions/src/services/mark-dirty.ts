/**
 * The aggregate step: a change to a record makes its unit's figures stale (and its previous unit's,
 * if it moved). Marking is idempotent, so a replayed or reordered stream batch changes nothing.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { StateStore } from '../store/ports.ts';

export function unitsTouched(event: Pick<DynamoDBStreamEvent, 'Records'>): Set<string> {
  const units = new Set<string>();
  for (const record of event.Records ?? []) {
    for (const image of [record.dynamodb?.NewImage, record.dynamodb?.OldImage]) {
      const unitId = image?.unitId?.S;
      if (unitId) units.add(unitId);
    }
  }
  return units;
}

export async function markDirtyFromStream(deps: { state: StateStore }, event: Pick<DynamoDBStreamEvent, 'Records'>) {
  const units = unitsTouched(event);
  await deps.state.markDirty(units);
  return { units: units.size };
}
