/** Vega-Lite specs for the pictures the examples draw; data arrive as plain row objects. */
import type { TopLevelSpec } from 'vega-lite';

type Row = Record<string, number | string>;
/** One line, or several (a long title wraps by hand: Vega-Lite does not wrap). */
export type Title = string | string[];

const CONFIG = { font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ccc' } } as const;

/** Points coloured by class, e.g. 2-D embeddings. */
export function scatterChart(title: Title, points: { x: number; y: number; label: string }[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 360,
    height: 360,
    config: CONFIG,
    data: { values: points },
    mark: { type: 'circle', size: 22, opacity: 0.8 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'embedding 1', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: 'embedding 2', scale: { zero: false } },
      color: { field: 'label', type: 'nominal', title: 'class', scale: { scheme: 'category10' }, sort: 'ascending' },
    },
  };
}

export interface HeatmapOptions {
  title: Title;
  xTitle: string;
  yTitle: string;
  valueTitle: string;
  /** One panel per distinct value of this field, sharing one colour scale. */
  facet?: string;
  columns?: number;
  /** Row labels top to bottom; numeric rows otherwise run from the highest at the top. */
  yOrder?: string[];
  /** Clamps the colour scale so that panels with very different ranges stay comparable. */
  domain?: [number, number];
  scheme?: string;
  /** Points drawn over the cells, e.g. an alignment path or the true answers. */
  overlay?: { rows: Row[]; title: string };
  cellWidth?: number;
  cellHeight?: number;
}

/** Cells at integer `x` (columns) and `y` (rows) coloured by `value`. */
export function heatmapChart(cells: Row[], opts: HeatmapOptions): TopLevelSpec {
  const xs = new Set(cells.map((c) => c.x)).size;
  const ys = new Set(cells.map((c) => c.y)).size;
  const x = { field: 'x', type: 'ordinal', title: opts.xTitle, axis: { labelOverlap: true, labelAngle: 0 } } as const;
  const y = { field: 'y', type: 'ordinal', title: opts.yTitle, sort: opts.yOrder ?? 'descending' } as const;
  const rect = {
    mark: 'rect',
    encoding: {
      x,
      y,
      color: {
        field: 'value',
        type: 'quantitative',
        title: opts.valueTitle,
        scale: { scheme: opts.scheme ?? 'viridis', ...(opts.domain ? { domain: opts.domain, clamp: true } : {}) },
      },
    },
  } as const;
  const layers: object[] = [rect];
  if (opts.overlay) {
    layers.push({
      data: { values: opts.overlay.rows },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 30, color: '#ff3b30' },
      encoding: { x, y },
    });
  }
  const inner = {
    width: xs * (opts.cellWidth ?? 6),
    height: ys * (opts.cellHeight ?? 22),
    layer: layers,
  };
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: opts.title, config: CONFIG };
  if (opts.facet) {
    return {
      ...base,
      data: { values: cells },
      facet: { field: opts.facet, type: 'nominal', title: null, sort: null },
      columns: opts.columns ?? 3,
      spec: inner,
      resolve: { scale: { color: 'shared' } },
    } as TopLevelSpec;
  }
  return { ...base, data: { values: cells }, ...inner } as TopLevelSpec;
}

export interface CurveRow {
  x: number;
  value: number;
  series: string;
}

/** A loss (top) and its derivative (bottom) against one argument, one line per series. */
export function lossAndGradientChart(
  title: Title,
  xTitle: string,
  loss: CurveRow[],
  grad: CurveRow[],
): TopLevelSpec {
  const panel = (rows: CurveRow[], yTitle: string): object => ({
    width: 320,
    height: 170,
    data: { values: rows },
    layer: [
      { mark: { type: 'rule', color: '#bbb' }, encoding: { y: { datum: 0 } } },
      {
        mark: { type: 'line', strokeWidth: 2, clip: true },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle },
          y: { field: 'value', type: 'quantitative', title: yTitle },
          color: { field: 'series', type: 'nominal', title: null, sort: null, legend: { orient: 'bottom', columns: 2 } },
        },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: CONFIG,
    vconcat: [panel(loss, 'loss'), panel(grad, 'gradient (backward)')],
  } as TopLevelSpec;
}

/** Bars per category, e.g. a metric per loss function. */
export function barChart(title: Title, rows: { category: string; value: number }[], valueTitle: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: CONFIG,
    width: 320,
    height: 160,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'category', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: valueTitle },
    },
  };
}
