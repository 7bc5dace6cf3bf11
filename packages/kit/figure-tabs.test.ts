import { describe, expect, it } from 'vitest';
import { showsTable, tableIdsOf, tableParam } from './figure-tabs.ts';
import { permalink } from './share/permalink.ts';

describe('a figure\'s Chart | Table tab in the URL (?table=<id>,…)', () => {
  it('reads the ids of the figures showing their table: well-formed ones, each once, sorted', () => {
    expect(tableIdsOf({})).toEqual([]);
    expect(tableIdsOf({ table: 'map' })).toEqual(['map']);
    expect(tableIdsOf({ table: 'top-units,map,map, ,<x>,Map' })).toEqual(['map', 'top-units']);
    expect(showsTable({ table: 'history,map' }, 'map')).toBe(true);
    expect(showsTable({ table: 'history' }, 'map')).toBe(false);
    expect(showsTable({ table: 'maps' }, 'map')).toBe(false);
  });

  it('writes one figure\'s choice and keeps the others\'; no parameter when every figure shows its chart', () => {
    expect(tableParam({}, 'map', true)).toBe('map');
    expect(tableParam({ table: 'top-units' }, 'map', true)).toBe('map,top-units');
    expect(tableParam({ table: 'map,top-units' }, 'map', true)).toBe('map,top-units');
    expect(tableParam({ table: 'map,top-units' }, 'map', false)).toBe('top-units');
    expect(tableParam({ table: 'map' }, 'map', false)).toBeNull();
    expect(tableParam({}, 'map', false)).toBeNull();
  });

  it('goes into the permanent link as the shell writes it (commas as commas), with the period', () => {
    expect(permalink('https://example.org/?table=map%2Ctop-units&lang=en', '2024-03')).toBe('https://example.org/?lang=en&period=2024-03&table=map,top-units');
  });
});
