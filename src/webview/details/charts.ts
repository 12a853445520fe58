// The details view's live charts, drawn with uPlot (bundled; it sets styles through the CSSOM
// only, which the webview's CSP allows, and evaluates no code). Colours come from the theme.
import uPlot from 'uplot';
import type { MetricsView } from '../../shared/detailsProtocol';
import { bytes, cores } from './format';

type ChartKind = 'cpu' | 'memory' | 'replicas';

const charts = new Map<ChartKind, { plot: uPlot; container: HTMLElement }>();
const Height = 150;

function themeColour(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}



/** `14:05:30` in the local time zone. */
function clock(seconds: number): string {
  const d = new Date(seconds * 1000);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function options(kind: ChartKind, width: number): uPlot.Options {
  const text = themeColour('--vscode-foreground', '#ccc');
  const grid = themeColour('--vscode-editorWidget-border', '#444');
  const usage = themeColour('--vscode-charts-blue', '#3794ff');
  const request = themeColour('--vscode-charts-yellow', '#cca700');
  const limit = themeColour('--vscode-charts-red', '#f14c4c');
  const ready = themeColour('--vscode-charts-green', '#89d185');
  const format = kind === 'memory' ? bytes : kind === 'cpu' ? cores : (v: number) => String(Math.round(v));
  const value = (_u: uPlot, v: number | null): string => (v === null ? '–' : format(v));
  const series: uPlot.Series[] =
    kind === 'replicas'
      ? [{}, { label: 'desired', stroke: request, width: 2, value, paths: uPlot.paths.stepped?.({ align: 1 }) }, { label: 'ready', stroke: ready, width: 2, value, paths: uPlot.paths.stepped?.({ align: 1 }) }]
      : [{}, { label: 'used', stroke: usage, width: 2, value, spanGaps: false }, { label: 'requested', stroke: request, width: 1, dash: [4, 4], value }, { label: 'limit', stroke: limit, width: 1, dash: [2, 6], value }];
  return {
    width,
    height: Height,
    series,
    scales: {
      // At least the last two minutes, so a first reading does not stretch over years.
      x: { time: true, range: (_u, min, max) => [Math.min(min, max - 120), max] },
      y: { range: (_u, _min, max) => (kind === 'replicas' ? [0, Math.max(1, max) + 1] : [0, max * 1.15 || 1]) },
    },
    axes: [
      { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_u, splits) => splits.map(clock) },
      { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_u, values) => values.map(format), size: 72, ...(kind === 'replicas' ? { incrs: [1, 2, 5, 10, 20, 50, 100] } : {}) },
    ],
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
  };
}

function data(kind: ChartKind, metrics: MetricsView): uPlot.AlignedData {
  const s = metrics.samples;
  const xs = s.map((x) => x.t);
  if (kind === 'replicas') return [xs, s.map((x) => x.desired), s.map((x) => x.ready)];
  const totals = metrics.totals;
  // undefined (not null) for a sample between readings: uPlot joins the line across it, and
  // breaks it only where metrics were not available.
  const used = s.map((x) => (x.between ? undefined : kind === 'cpu' ? x.cpu : x.memory));
  const request = s.map(() => (totals ? (kind === 'cpu' ? totals.cpuRequest : totals.memoryRequest) || null : null));
  const limit = s.map(() => (totals ? (kind === 'cpu' ? totals.cpuLimit : totals.memoryLimit) || null : null));
  return [xs, used, request, limit];
}

/** Draws (or redraws) a chart into the element with id `chart-<kind>`; marks how many points it shows. */
export function drawChart(kind: ChartKind, metrics: MetricsView): void {
  const container = document.getElementById(`chart-${kind}`);
  if (!container) {
    charts.get(kind)?.plot.destroy();
    charts.delete(kind);
    return;
  }
  const width = Math.max(240, container.clientWidth || 480);
  let chart = charts.get(kind);
  if (chart && chart.container !== container) {
    chart.plot.destroy();
    chart = undefined;
  }
  if (!chart) {
    chart = { plot: new uPlot(options(kind, width), data(kind, metrics), container), container };
    charts.set(kind, chart);
  } else {
    chart.plot.setData(data(kind, metrics));
    if (Math.abs(chart.plot.width - width) > 2) chart.plot.setSize({ width, height: Height });
  }
  container.dataset['points'] = String(metrics.samples.length);
}

/** Charts follow the panel's width. */
export function watchWidth(redraw: () => void): void {
  new ResizeObserver(() => redraw()).observe(document.body);
}
