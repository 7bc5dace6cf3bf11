import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { tileLayout, shortLabels } from './tiles.ts';

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

  it('makes short, unique labels', () => {
    expect(shortLabels(['Quận 3', 'Quận Bình Thạnh', 'Quận Bình Tân', 'Phường 14', 'Huyện Củ Chi', 'Thành phố Thủ Đức']))
      .toEqual(['Q.3', 'BTh', 'BTâ', 'P.14', 'CC', 'TĐ']);
    const districts = registry.filter((u) => u.kind === 'district').map((u) => u.name.vi);
    expect(new Set(shortLabels(districts)).size).toBe(22);
  });
});
