/**
 * @itmap/kit/charts — chart.js with only what the dashboards use registered
 * (bar, line, category + linear scales, tooltip, legend). Loaded lazily, when a chart
 * scrolls into view, so the first view does not pay for it.
 */
import {
  Chart, BarController, BarElement, LineController, LineElement, PointElement,
  CategoryScale, LinearScale, Tooltip, Legend,
} from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface SeriesSpec {
  label: string;
  values: (number | null)[];
}
export interface ChartSpec {
  kind: 'bar' | 'line';
  labels: string[];
  series: SeriesSpec[];
  /** axis maximum (e.g. 100 points) */
  max?: number;
  horizontal?: boolean;
  /** per category: true where it is a provisional (ongoing) period — line drawn dashed into it, point hollow */
  provisional?: boolean[];
  locale: string;
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/** #rrggbb at 45 % opacity (#rrggbb73); other colour syntaxes as they are */
const lighter = (c: string) => (/^#[0-9a-f]{6}$/i.test(c) ? `${c}73` : c);

/** Draw a chart into `canvas`; returns a handle to update or destroy it. */
export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec) {
  const palette = [cssVar(canvas, '--chart-1', '#1f6feb'), cssVar(canvas, '--chart-2', '#d97706'), cssVar(canvas, '--chart-3', '#16a34a')];
  const text = cssVar(canvas, '--fg-muted', '#555');
  const grid = cssVar(canvas, '--border', '#ddd');
  const bg = cssVar(canvas, '--bg', '#fff');
  const provisional = (i: number) => !!spec.provisional?.[i];
  const reduceMotion = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  const counts = spec.series.every((s) => s.values.every((v) => v == null || Number.isInteger(v)));
  const valueAxis = { min: 0, max: spec.max, ticks: { color: text, ...(counts && spec.max == null ? { precision: 0 } : {}) }, grid: { color: grid } };
  const labelAxis = { ticks: { color: text, autoSkip: true }, grid: { display: false } };
  const chart = new Chart(canvas, {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        // a provisional period's bar is lighter (share/scene.ts PROVISIONAL_OPACITY)
        backgroundColor: spec.kind === 'bar' ? s.values.map((_, j) => (provisional(j) ? lighter(palette[i % palette.length]) : palette[i % palette.length])) : palette[i % palette.length],
        borderColor: palette[i % palette.length],
        borderWidth: spec.kind === 'line' ? 2 : 0,
        pointRadius: spec.kind === 'line' ? s.values.map((_, j) => (provisional(j) ? 4 : 3)) : undefined,
        pointBackgroundColor: spec.kind === 'line' ? s.values.map((_, j) => (provisional(j) ? bg : palette[i % palette.length])) : undefined,
        pointBorderWidth: spec.kind === 'line' ? 2 : undefined,
        // the segment into an ongoing period's point is dashed: share/scene.ts DASH (not imported: it would join the kit's chunk to chart.js's)
        segment: spec.kind === 'line' ? { borderDash: (ctx: { p1DataIndex: number }) => (provisional(ctx.p1DataIndex) ? [5, 4] : undefined) } : undefined,
        spanGaps: true,
      })),
    },
    options: {
      locale: spec.locale,
      indexAxis: spec.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 300 },
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: text } },
        tooltip: { enabled: true },
      },
      scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
    },
  });
  return {
    destroy: () => chart.destroy(),
  };
}
export { Chart };
