// Observable Plot options for the analysis charts. Position and printed numbers carry the meaning; colour
// only repeats it (and every chart has its data table beside it, see ChartFigure).
import { signed } from './labels.ts';
import { barX, dot, link, ruleX, text, type PlotOptions } from '@observablehq/plot';

const BRAND = '#1d4f5c';
const ABOVE = '#00703c';
const BELOW = '#b3261e';
const NEUTRAL = '#dbdad9';
const GREY = '#505a5f';
const WIDTH = 900;
/** A white outline behind printed values keeps them readable where they cross a line. */
const HALO = { fill: '#0b0c0c', stroke: 'white', strokeWidth: 4, paintOrder: 'stroke' } as const;

/** Enough room on the left for the longest label at 14px. */
function labelMargin(labels: readonly string[]): number {
  const longest = Math.max(8, ...labels.map((label) => label.length));
  return Math.min(280, Math.round(longest * 7.6) + 16);
}

/** A symmetric extent around zero, a little wider than the data so printed values fit. */
function symmetricExtent(values: readonly number[], minimum: number): number {
  const largest = Math.max(minimum, ...values.map((value) => Math.abs(value)));
  return Math.ceil(largest * 1.3 * 4) / 4;
}

export const signedTick = (value: number) => signed(value, 1);

export interface Interval {
  progress8: number;
  lower: number;
  upper: number;
}

/** The school's Progress 8 as a dot, its 95% confidence interval as a line, against zero. */
export function intervalChart(interval: Interval): PlotOptions {
  const row = { label: 'Your school', ...interval };
  const extent = symmetricExtent([interval.lower, interval.upper], 0.5);
  return {
    width: WIDTH,
    height: 150,
    marginLeft: 100,
    marginRight: 30,
    marginTop: 34,
    marginBottom: 44,
    x: {
      domain: [-extent, extent],
      label: 'Progress 8 score (0 is the national average) →',
      labelAnchor: 'center',
      grid: true,
      tickFormat: signedTick,
    },
    y: { domain: [row.label], label: null },
    marks: [
      ruleX([0], { stroke: '#0b0c0c', strokeWidth: 1.5 }),
      text([0], {
        x: (value: number) => value,
        frameAnchor: 'top',
        dy: -14,
        text: () => 'National average',
        ...HALO,
      }),
      link([row], {
        x1: 'lower',
        x2: 'upper',
        y1: 'label',
        y2: 'label',
        stroke: BRAND,
        strokeWidth: 3,
        markerStart: 'tick',
        markerEnd: 'tick',
      }),
      dot([row], { x: 'progress8', y: 'label', r: 8, fill: BRAND, stroke: 'white', strokeWidth: 2 }),
      text([row], {
        x: 'progress8',
        y: 'label',
        text: (entry: Interval) => signed(entry.progress8),
        dy: -20,
        fontWeight: 'bold',
        fontSize: 16,
        ...HALO,
      }),
      text([row], {
        x: 'lower',
        y: 'label',
        text: (entry: Interval) => signed(entry.lower),
        dy: 20,
        ...HALO,
      }),
      text([row], {
        x: 'upper',
        y: 'label',
        text: (entry: Interval) => signed(entry.upper),
        dy: 20,
        ...HALO,
      }),
    ],
  };
}

export interface Bar {
  label: string;
  value: number;
}

const barValue = (row: Bar) => signed(row.value);

/** Bars to the right (better) or left (worse) of zero, each with its value printed at its end. */
export function divergingBars(rows: readonly Bar[], xLabel: string, minimum = 0.5): PlotOptions {
  const extent = symmetricExtent(
    rows.map((row) => row.value),
    minimum,
  );
  const above = rows.filter((row) => row.value >= 0);
  const below = rows.filter((row) => row.value < 0);
  return {
    width: WIDTH,
    height: 60 + rows.length * 34,
    marginLeft: labelMargin(rows.map((row) => row.label)),
    marginRight: 30,
    marginBottom: 44,
    x: {
      domain: [-extent, extent],
      label: xLabel,
      labelAnchor: 'center',
      grid: true,
      tickFormat: signedTick,
    },
    y: { domain: rows.map((row) => row.label), label: null, padding: 0.3 },
    marks: [
      barX(above, { x: 'value', y: 'label', fill: ABOVE }),
      barX(below, { x: 'value', y: 'label', fill: BELOW }),
      ruleX([0], { stroke: '#0b0c0c', strokeWidth: 1.5 }),
      text(above, { x: 'value', y: 'label', text: barValue, textAnchor: 'start', dx: 6, fontWeight: 'bold' }),
      text(below, { x: 'value', y: 'label', text: barValue, textAnchor: 'end', dx: -6, fontWeight: 'bold' }),
    ],
  };
}

export interface GapRow {
  label: string;
  group: number;
  rest: number;
  gapText: string;
}

const THIS_GROUP = 'This group';
const REST = 'Rest of the cohort';

/** Each subgroup (dot) beside the rest of the cohort (diamond), joined by a line, with the gap printed. */
export function gapsChart(
  rows: readonly GapRow[],
  xLabel: string,
  tickFormat: (value: number) => string,
  zeroLine = false,
): PlotOptions {
  const points = rows.flatMap((row) => [
    { label: row.label, kind: THIS_GROUP, value: row.group },
    { label: row.label, kind: REST, value: row.rest },
  ]);
  return {
    width: WIDTH,
    height: 70 + rows.length * 30,
    marginLeft: labelMargin(rows.map((row) => row.label)),
    marginRight: 120,
    marginBottom: 44,
    x: { label: xLabel, labelAnchor: 'center', grid: true, nice: true, tickFormat },
    y: { domain: rows.map((row) => row.label), label: null },
    symbol: { legend: true, domain: [THIS_GROUP, REST], range: ['circle', 'diamond'] },
    color: { domain: [THIS_GROUP, REST], range: [BRAND, GREY] },
    marks: [
      ...(zeroLine ? [ruleX([0], { stroke: '#0b0c0c', strokeWidth: 1.5 })] : []),
      link(rows, { x1: 'rest', x2: 'group', y1: 'label', y2: 'label', stroke: '#b1b4b6', strokeWidth: 2 }),
      dot(points, { x: 'value', y: 'label', symbol: 'kind', fill: 'kind', r: 6 }),
      text(rows, {
        y: 'label',
        text: (row: GapRow) => `Gap ${row.gapText}`,
        frameAnchor: 'right',
        textAnchor: 'start',
        dx: 10,
        fontWeight: 'bold',
      }),
    ],
  };
}

export interface TargetCounts {
  subjectName: string;
  above: number;
  on: number;
  below: number;
  total: number;
}

const STATUSES = [
  { key: 'below', label: '▼ Below target', symbol: '▼', fill: BELOW, ink: 'white' },
  { key: 'on', label: '● On target', symbol: '●', fill: NEUTRAL, ink: '#0b0c0c' },
  { key: 'above', label: '▲ Above target', symbol: '▲', fill: ABOVE, ink: 'white' },
] as const;

interface Segment {
  subject: string;
  status: string;
  x1: number;
  x2: number;
  label: string;
  ink: string;
}

const middle = (segment: Segment) => (segment.x1 + segment.x2) / 2;

/** For each subject, the share of grades below, on and above target, stacked to 100%. */
export function targetsChart(rows: readonly TargetCounts[]): PlotOptions {
  const segments: Segment[] = rows.flatMap((row) => {
    let start = 0;
    return STATUSES.map((status) => {
      const share = row.total === 0 ? 0 : (row[status.key] / row.total) * 100;
      const segment = {
        subject: row.subjectName,
        status: status.label,
        x1: start,
        x2: start + share,
        label: share >= 9 ? `${status.symbol} ${Math.round(share)}%` : '',
        ink: status.ink,
      };
      start += share;
      return segment;
    });
  });
  const labelled = (ink: string) => segments.filter((segment) => segment.ink === ink && segment.label !== '');
  return {
    width: WIDTH,
    height: 70 + rows.length * 30,
    marginLeft: labelMargin(rows.map((row) => row.subjectName)),
    marginRight: 20,
    marginBottom: 44,
    x: { domain: [0, 100], label: 'Share of grades (%)', labelAnchor: 'center', grid: true },
    y: { domain: rows.map((row) => row.subjectName), label: null, padding: 0.2 },
    color: {
      legend: true,
      domain: STATUSES.map((status) => status.label),
      range: STATUSES.map((status) => status.fill),
    },
    marks: [
      barX(segments, { x1: 'x1', x2: 'x2', y: 'subject', fill: 'status', stroke: 'white' }),
      text(labelled('white'), { x: middle, y: 'subject', text: 'label', fill: 'white', fontWeight: 'bold' }),
      text(labelled('#0b0c0c'), { x: middle, y: 'subject', text: 'label', fill: '#0b0c0c' }),
    ],
  };
}
