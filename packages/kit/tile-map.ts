/**
 * The tile map (the overview's map, its share menu's images and /embed/map): which units it shows,
 * the layout (one square tile per unit on a grid, placed near the unit's approximate centroid,
 * [lon, lat] in the registry), the short labels, and the map as chart data for the share scene.
 * No boundary data with a compatible licence exists for HCMC, so the map shows where units are,
 * not their shapes or sizes. Pure and deterministic.
 */
import type { ChartData } from './share/scene.ts';

export interface Placeable { id: string; centroid?: readonly [number, number] | null }
export interface Tile { id: string; col: number; row: number }
export interface TileLayout { tiles: Tile[]; cols: number; rows: number }

interface MapUnit { id: string; parentId: string | null; kind: string }
/**
 * The units the map shows, from the units of the period (those scored in it): the wards of
 * `districtId` when it names a district of the period; else the districts; a city without districts
 * (two-level government, HCMC from July 2025) maps the wards and communes directly under the city.
 */
export function mapUnitsOf<U extends MapUnit>(units: readonly U[], districtId?: string | null): { districts: U[]; district: U | null; units: U[] } {
  const districts = units.filter((u) => u.kind === 'district');
  const district = (districtId && districts.find((u) => u.id === districtId)) || null;
  const rootId = units.find((u) => u.parentId === null)?.id;
  const shown = district ? units.filter((u) => u.parentId === district.id)
    : districts.length > 0 ? districts
    : units.filter((u) => u.parentId === rootId && u.kind === 'ward');
  return { districts, district, units: shown };
}

/** One unit on the map as the share scene draws it. */
export interface TileInput extends Placeable { name: string; nameVi: string; score: number | null; band: string | null }

/**
 * The map as chart data (kind 'tiles'): the same layout and labels as on the page, each tile's
 * score (rounded to 2 decimals as in the other figures) and band, and the legend; what the PNG/SVG
 * downloads and /embed/map draw.
 */
export function tileChartData(items: readonly TileInput[], legend: { code: string; label: string }[], scoreLabel: string): ChartData {
  const layout = tileLayout(items);
  const labels = shortLabels(items.map((i) => i.nameVi));
  return {
    kind: 'tiles',
    labels: items.map((i) => i.name),
    series: [{ label: scoreLabel, values: items.map((i) => (i.score == null ? null : Math.round(i.score * 100) / 100)) }],
    tiles: layout.tiles.map((t, i) => ({ col: t.col, row: t.row, label: labels[i], band: items[i].band })),
    legend,
  };
}

/** Position in [0, 1]: half linear, half by rank, so a dense centre spreads over more cells. */
function spread(values: number[]): number[] {
  const min = Math.min(...values), max = Math.max(...values);
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const rank = new Array<number>(values.length);
  order.forEach(([, i], r) => { rank[i] = values.length > 1 ? r / (values.length - 1) : 0.5; });
  return values.map((v, i) => 0.5 * (max > min ? (v - min) / (max - min) : 0.5) + 0.5 * rank[i]);
}

export function tileLayout(items: readonly Placeable[]): TileLayout {
  const hasCentroid = (u: Placeable) => Array.isArray(u.centroid) && u.centroid.length === 2;
  const located = items.filter(hasCentroid);
  const others = items.filter((u) => !hasCentroid(u));
  const tiles: Tile[] = [];
  let cols = 0, rows = 0;
  if (located.length) {
    const lat0 = located.reduce((s, u) => s + u.centroid![1], 0) / located.length;
    const xs = spread(located.map((u) => u.centroid![0] * Math.cos((lat0 * Math.PI) / 180)));
    const ys = spread(located.map((u) => -u.centroid![1]));
    const n = located.length;
    cols = Math.max(1, Math.ceil(Math.sqrt(n * 1.5)));
    rows = Math.max(1, Math.ceil((n * 1.5) / cols));
    const taken = new Uint8Array(cols * rows); // cell r * cols + c
    // the centre first (it is the most crowded), then outwards; ties by id
    const order = located.map((u, i) => {
      const x = xs[i] * (cols - 1), y = ys[i] * (rows - 1);
      return { u, x, y, fromCentre: Math.hypot(x / cols - 0.5, y / rows - 0.5) };
    }).sort((a, b) => a.fromCentre - b.fromCentre || (a.u.id < b.u.id ? -1 : 1));
    for (const { u, x, y } of order) {
      const best = nearestFreeCell(taken, cols, rows, x, y);
      taken[best] = 1;
      tiles.push({ id: u.id, col: best % cols, row: Math.floor(best / cols) });
    }
    // drop empty rows and columns
    const colIndex = indexOfUsed(tiles.map((t) => t.col)), rowIndex = indexOfUsed(tiles.map((t) => t.row));
    for (const t of tiles) { t.col = colIndex.get(t.col)!; t.row = rowIndex.get(t.row)!; }
    cols = colIndex.size;
    rows = rowIndex.size;
  }
  // units without a centroid: rows of their own below, in the given order
  if (others.length) {
    const width = Math.max(cols, Math.min(others.length, 6));
    others.forEach((u, i) => tiles.push({ id: u.id, col: i % width, row: rows + Math.floor(i / width) }));
    rows += Math.ceil(others.length / width);
    cols = width;
  }
  const index = new Map(items.map((u, i) => [u.id, i]));
  return { tiles: tiles.sort((a, b) => index.get(a.id)! - index.get(b.id)!), cols, rows };
}

/**
 * The free cell (r * cols + c) nearest to (x, y); of cells as near (within 1e-9), the first in row-major order.
 * Searched in square rings around the cell under (x, y), stopping once no farther ring can hold a nearer cell:
 * a few dozen cells per unit, not the whole grid (this runs for every tile as the page's first view renders).
 */
export function nearestFreeCell(taken: Uint8Array, cols: number, rows: number, x: number, y: number): number {
  const c0 = Math.min(cols - 1, Math.max(0, Math.round(x))), r0 = Math.min(rows - 1, Math.max(0, Math.round(y)));
  let best = -1, bestD = Infinity;
  const consider = (c: number, r: number) => {
    if (c < 0 || c >= cols || r < 0 || r >= rows || taken[r * cols + c]) return;
    const cell = r * cols + c, d = Math.hypot(c - x, r - y);
    if (d < bestD - 1e-9 || (d <= bestD + 1e-9 && cell < best)) { bestD = d; best = cell; }
  };
  for (let ring = 0; ring < Math.max(cols, rows); ring++) {
    // the ring's cells: its top and bottom rows, and the two ends of the rows between
    for (let c = c0 - ring; c <= c0 + ring; c++) { consider(c, r0 - ring); if (ring) consider(c, r0 + ring); }
    for (let r = r0 - ring + 1; r < r0 + ring; r++) { consider(c0 - ring, r); consider(c0 + ring, r); }
    // every cell of the next rings is at least ring + 0.5 away ((x, y) is within half a cell of (c0, r0))
    if (best >= 0 && bestD < ring + 0.5 - 1e-9) break;
  }
  return best;
}

/** Each used value → its place among the used values, in order. */
function indexOfUsed(values: number[]): Map<number, number> {
  return new Map([...new Set(values)].sort((a, b) => a - b).map((v, i) => [v, i]));
}

const PREFIXES: [RegExp, string][] = [
  [/^Thành phố\s+/i, 'TP.'], [/^Quận\s+/i, 'Q.'], [/^Huyện\s+/i, 'H.'], [/^Phường\s+/i, 'P.'], [/^Xã\s+/i, 'X.'], [/^Thị trấn\s+/i, 'TT.'],
];
/** Short tile labels from Vietnamese names: "Quận 3" → "Q.3", "Quận Bình Thạnh" → "BT", "Phường 14" → "P.14"; unique within the set. */
export function shortLabels(names: readonly string[]): string[] {
  const parts = names.map((name) => {
    for (const [re, prefix] of PREFIXES) if (re.test(name)) return { prefix, rest: name.replace(re, '').trim() };
    return { prefix: '', rest: name.trim() };
  });
  // toUpperCase, not toLocaleUpperCase('vi'): Vietnamese has no special casing rules, and the locale-free mapping is cheaper
  const initials = (rest: string, extra: number) => {
    const words = rest.split(/\s+/).filter(Boolean);
    return words.map((w, i) => (i === words.length - 1 ? w.slice(0, 1 + extra) : w[0])).join('').toUpperCase().slice(0, 4 + extra);
  };
  const labels = parts.map((p) => (/^\d+[A-Za-z]?$/.test(p.rest) ? `${p.prefix}${p.rest}` : initials(p.rest, 0)));
  for (let extra = 1; extra <= 3; extra++) {
    const seen = new Map<string, number>();
    labels.forEach((l) => seen.set(l, (seen.get(l) ?? 0) + 1));
    labels.forEach((l, i) => {
      if (seen.get(l)! > 1 && !/^\D+\.\d/.test(l)) {
        const words = parts[i].rest.split(/\s+/);
        labels[i] = words.map((w, j) => (j === words.length - 1 ? w.slice(0, 1 + extra) : w[0])).join('');
        labels[i] = labels[i].charAt(0).toUpperCase() + labels[i].slice(1);
      }
    });
  }
  return labels;
}
