import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mapUnitsOf, nearestFreeCell, tileChartData, tileLayout, shortLabels } from './tile-map.ts';

const registry = JSON.parse(readFileSync(resolve(process.cwd(), 'config/cities/hcmc/registries/hcmc-2024.json'), 'utf8')).units as
  { id: string; parentId: string | null; kind: string; name: { vi: string }; centroid?: [number, number] }[];

describe('tile layout', () => {
  it('places the 22 districts on distinct cells, keeping west/east and north/south', () => {
    const districts = registry.filter((u) => u.kind === 'district');
    expect(districts).toHaveLength(22);
    const { tiles, cols, rows } = tileLayout(districts);
    expect(tiles).toHaveLength(22);
    expect(new Set(tiles.map((t) => `${t.col},${t.row}`)).size).toBe(22);
    expect(cols * rows).toBeGreaterThanOrEqual(22);
    const at = (id: string) => tiles.find((t) => t.id === id)!;
    expect(at('cu-chi').row).toBeLessThan(at('can-gio').row); // Củ Chi is north of Cần Giờ
    expect(at('cu-chi').col).toBeLessThan(at('thu-duc').col); // and west of Thủ Đức
    expect(at('q1').row).toBeLessThan(at('nha-be').row);
  });

  it('lays out the wards of a district and places units without a centroid below', () => {
    const wards = registry.filter((u) => u.parentId === 'thu-duc');
    const { tiles } = tileLayout([...wards, { id: 'x' }]);
    expect(new Set(tiles.map((t) => `${t.col},${t.row}`)).size).toBe(wards.length + 1);
    expect(tiles.at(-1)!.row).toBe(Math.max(...tiles.map((t) => t.row)));
    expect(tileLayout([{ id: 'a' }, { id: 'b' }]).tiles).toEqual([{ id: 'a', col: 0, row: 0 }, { id: 'b', col: 1, row: 0 }]);
  });

  it('finds the nearest free cell as a scan of the whole grid does (the first in row order of cells as near)', () => {
    let seed = 19;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 500; trial++) {
      const cols = 1 + Math.floor(random() * 12), rows = 1 + Math.floor(random() * 12);
      const taken = new Uint8Array(cols * rows).map(() => (random() < 0.6 ? 1 : 0));
      taken[Math.floor(random() * cols * rows)] = 0;
      // on a cell, halfway between cells (ties), or anywhere inside the grid
      const at = (n: number) => [Math.round(random() * (n - 1)), Math.round(random() * (n - 1) * 2) / 2, random() * (n - 1)][trial % 3];
      const x = at(cols), y = at(rows);
      let expected = -1, nearest = Infinity;
      for (let cell = 0; cell < cols * rows; cell++) {
        const d = Math.hypot((cell % cols) - x, Math.floor(cell / cols) - y);
        if (!taken[cell] && d < nearest - 1e-9) { nearest = d; expected = cell; }
      }
      expect(nearestFreeCell(taken, cols, rows, x, y), `trial ${trial}: ${cols}×${rows} at (${x}, ${y})`).toBe(expected);
    }
  });

  it('makes short, unique labels', () => {
    expect(shortLabels(['Quận 3', 'Quận Bình Thạnh', 'Quận Bình Tân', 'Phường 14', 'Huyện Củ Chi', 'Thành phố Thủ Đức']))
      .toEqual(['Q.3', 'BTh', 'BTâ', 'P.14', 'CC', 'TĐ']);
    const districts = registry.filter((u) => u.kind === 'district').map((u) => u.name.vi);
    expect(new Set(shortLabels(districts)).size).toBe(22);
  });
});

describe('the units the map shows (mapUnitsOf, the overview\'s and /embed/map\'s rule)', () => {
  const u = (id: string, parentId: string | null, kind: string) => ({ id, parentId, kind });
  const city = [u('hcm', null, 'city'), u('q1', 'hcm', 'district'), u('q3', 'hcm', 'district'), u('stp', 'hcm', 'department'), u('q3-p14', 'q3', 'ward'), u('q3-vts', 'q3', 'ward'), u('q1-bn', 'q1', 'ward')];
  it('the districts; the wards of a district chosen; a name that is no district of the period shows the districts', () => {
    expect(mapUnitsOf(city).units.map((x) => x.id)).toEqual(['q1', 'q3']);
    const q3 = mapUnitsOf(city, 'q3');
    expect(q3.district?.id).toBe('q3');
    expect(q3.units.map((x) => x.id)).toEqual(['q3-p14', 'q3-vts']);
    for (const other of ['stp', 'q3-p14', 'nowhere', null]) {
      expect(mapUnitsOf(city, other).district).toBeNull();
      expect(mapUnitsOf(city, other).units.map((x) => x.id)).toEqual(['q1', 'q3']);
    }
  });
  it('a city without districts (two levels) maps its wards directly, not its departments', () => {
    const two = [u('hcm', null, 'city'), u('stp', 'hcm', 'department'), u('p-bn', 'hcm', 'ward'), u('x-cg', 'hcm', 'ward')];
    expect(mapUnitsOf(two)).toEqual({ districts: [], district: null, units: [two[2], two[3]] });
  });
});

describe('the map as chart data (tileChartData: the share images and /embed/map)', () => {
  it('the page\'s layout and labels, scores rounded to 2 decimals, no score as null, the legend', () => {
    const items = [
      { id: 'q3', name: 'District 3', nameVi: 'Quận 3', centroid: [106.68, 10.78] as [number, number], score: 91.456, band: 'excellent' },
      { id: 'q1', name: 'District 1', nameVi: 'Quận 1', centroid: [106.70, 10.77] as [number, number], score: null, band: null },
    ];
    const legend = [{ code: 'excellent', label: 'Excellent (≥ 90)' }, { code: 'none', label: 'No score yet' }];
    const data = tileChartData(items, legend, 'Score');
    const layout = tileLayout(items);
    expect(data).toEqual({
      kind: 'tiles', labels: ['District 3', 'District 1'], series: [{ label: 'Score', values: [91.46, null] }], legend,
      tiles: [{ col: layout.tiles[0].col, row: layout.tiles[0].row, label: 'Q.3', band: 'excellent' }, { col: layout.tiles[1].col, row: layout.tiles[1].row, label: 'Q.1', band: null }],
    });
    expect(data.tiles![0].col).toBeLessThan(data.tiles![1].col); // District 3 lies west of District 1
  });
});
