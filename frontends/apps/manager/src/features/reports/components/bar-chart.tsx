// A small bar chart in SVG, for figures a manager would rather look at than read. The picture is for the eyes
// (aria-hidden); the same numbers are in a table under it, visually hidden until "Show numbers" is pressed, so
// a screen reader (and anyone who wants the exact amounts) reads the table. A datum may carry the previous
// period's value: it is drawn as a marker across its bar and listed in its own column.
import { useId, useState, type ReactNode } from "react";
import { barLength, niceScale } from "../lib/scale";
import "./bar-chart.css";

export interface BarDatum {
  key: string;
  /** The category in full, for the table (e.g. "13:00–13:59", "Card", "Maria"). */
  label: string;
  /** A shorter label under the bar when `label` would not fit ("13"). */
  tick?: string;
  value: number;
  /** The same category's value in the period compared with: a marker across the bar, a column in the table. */
  previous?: number;
}

export interface BarChartProps {
  title: string;
  data: BarDatum[];
  /** What the bars are: the category axis' title and the table's first column ("Hour", "Waiter"). */
  categoryLabel: string;
  /** What the length means: the value axis' title and the table's second column ("Revenue (EUR)"). */
  valueLabel: string;
  formatValue: (value: number) => string;
  /** A compact form for the axis and the labels on the bars; formatValue by default. */
  formatShort?: (value: number) => string;
  /** Columns over a category axis (hours), or bars across from their names (methods, waiters). */
  orientation?: "vertical" | "horizontal";
  emptyText?: string;
  /** The name of the compared values (the legend and the table's column), when data carry `previous`. */
  previousLabel?: string;
  /** The figure above (or beside) each bar; off for many thin bars, whose numbers are in the table anyway. */
  showValues?: boolean;
  /** The drawing's width in viewBox units: about the pixels it gets, so its text stays the page's size. */
  width?: number;
  "data-testid"?: string;
}

const WIDTH = 720;
const FONT = 12;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The axis must hold the previous values too, or a marker would leave the plot. */
function largest(data: BarDatum[]): number {
  return Math.max(0, ...data.map((d) => Math.max(d.value, d.previous ?? 0)));
}

function hasPrevious(data: BarDatum[]): boolean {
  return data.some((d) => d.previous !== undefined);
}

/** Bars, ticks and labels of a vertical chart, in viewBox units. Exported for the tests. */
export function verticalLayout(data: BarDatum[], width = WIDTH, height = 260) {
  const dense = data.length > 12;
  const margin = { top: dense ? 64 : 28, right: 12, bottom: 48, left: 72 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const scale = niceScale(largest(data));
  const band = data.length > 0 ? plotWidth / data.length : plotWidth;
  const barWidth = Math.max(2, band * 0.7);
  const bars = data.map((datum, index) => {
    const length = barLength(datum.value, scale, plotHeight);
    const x = margin.left + index * band + (band - barWidth) / 2;
    const previousY =
      datum.previous === undefined ? undefined : margin.top + plotHeight - barLength(datum.previous, scale, plotHeight);
    const y = margin.top + plotHeight - length;
    return { datum, x, y, width: barWidth, height: length, center: x + barWidth / 2, previousY };
  });
  const ticks = scale.ticks.map((value) => ({
    value,
    y: margin.top + plotHeight - barLength(value, scale, plotHeight),
  }));
  return { margin, width, plotWidth, plotHeight, height, scale, bars, ticks, dense };
}

/** Bars, ticks and labels of a horizontal chart, in viewBox units. Exported for the tests. */
export function horizontalLayout(data: BarDatum[], width = WIDTH) {
  const row = 34;
  const margin = { top: 12, right: 104, bottom: 52, left: 148 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = Math.max(1, data.length) * row;
  const height = margin.top + plotHeight + margin.bottom;
  const scale = niceScale(largest(data));
  const barHeight = row * 0.62;
  const bars = data.map((datum, index) => {
    const length = barLength(datum.value, scale, plotWidth);
    const y = margin.top + index * row + (row - barHeight) / 2;
    const previousX =
      datum.previous === undefined ? undefined : margin.left + barLength(datum.previous, scale, plotWidth);
    return { datum, x: margin.left, y, width: length, height: barHeight, middle: y + barHeight / 2, previousX };
  });
  const ticks = scale.ticks.map((value) => ({ value, x: margin.left + barLength(value, scale, plotWidth) }));
  return { margin, width, plotWidth, plotHeight, height, scale, bars, ticks };
}

export function BarChart({
  title,
  data,
  categoryLabel,
  valueLabel,
  formatValue,
  formatShort = formatValue,
  orientation = "vertical",
  emptyText = "Nothing to show for this period.",
  previousLabel = "Previous period",
  showValues = true,
  width = WIDTH,
  ...rest
}: BarChartProps) {
  const [showTable, setShowTable] = useState(false);
  const titleId = useId();
  const tableId = useId();
  const empty = data.length === 0;
  const compared = hasPrevious(data);
  const bars = { width, data, categoryLabel, valueLabel, formatShort, showValues };
  return (
    <figure className="bar-chart" aria-labelledby={titleId} data-testid={rest["data-testid"]}>
      <div className="bar-chart__head">
        <figcaption id={titleId} className="bar-chart__title">
          {title}
        </figcaption>
        {!empty && (
          <button
            type="button"
            className="bar-chart__toggle"
            aria-expanded={showTable}
            aria-controls={tableId}
            onClick={() => setShowTable((shown) => !shown)}
          >
            {showTable ? "Hide numbers" : "Show numbers"}
          </button>
        )}
      </div>
      {!empty && compared && (
        <p className="bar-chart__legend" aria-hidden="true">
          <span className="bar-chart__key bar-chart__key--bar" /> {valueLabel}
          <span className="bar-chart__key bar-chart__key--previous" /> {previousLabel}
        </p>
      )}
      {empty ? (
        <p className="muted">{emptyText}</p>
      ) : orientation === "vertical" ? (
        <VerticalBars {...bars} />
      ) : (
        <HorizontalBars {...bars} />
      )}
      {!empty && (
        <div className={showTable ? "table-wrap" : "visually-hidden"}>
          <table id={tableId} className="data-table bar-chart__table" data-testid="chart-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{categoryLabel}</th>
                <th scope="col" className="num">
                  {valueLabel}
                </th>
                {compared && (
                  <th scope="col" className="num">
                    {previousLabel}
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {data.map((datum) => (
                <tr key={datum.key}>
                  <th scope="row">{datum.label}</th>
                  <td className="num">{formatValue(datum.value)}</td>
                  {compared && (
                    <td className="num">{datum.previous === undefined ? "—" : formatValue(datum.previous)}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}

function Drawing({ width, height, children }: { width: number; height: number; children: ReactNode }) {
  return (
    <svg
      className="bar-chart__svg"
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
      focusable="false"
      data-testid="chart-svg"
    >
      {children}
    </svg>
  );
}

function Bar({ x, y, width, height, datum }: { x: number; y: number; width: number; height: number; datum: BarDatum }) {
  return (
    <rect
      className="bar-chart__bar"
      x={x}
      y={y}
      width={width}
      height={height}
      data-testid="chart-bar"
      data-key={datum.key}
      data-value={datum.value}
      data-previous={datum.previous}
    />
  );
}

interface BarsProps {
  width: number;
  data: BarDatum[];
  categoryLabel: string;
  valueLabel: string;
  formatShort: (value: number) => string;
  showValues: boolean;
}

function VerticalBars({ width, data, categoryLabel, valueLabel, formatShort, showValues }: BarsProps) {
  const layout = verticalLayout(data, width);
  const { margin, plotWidth, plotHeight, height, dense } = layout;
  const baseline = margin.top + plotHeight;
  return (
    <Drawing width={width} height={height}>
      {layout.ticks.map((tick) => (
        <g key={tick.value}>
          <line className="bar-chart__grid" x1={margin.left} x2={margin.left + plotWidth} y1={tick.y} y2={tick.y} />
          <text className="bar-chart__tick" x={margin.left - 6} y={tick.y} dy="0.32em" textAnchor="end">
            {formatShort(tick.value)}
          </text>
        </g>
      ))}
      {layout.bars.map((bar) => (
        <g key={bar.datum.key}>
          <Bar {...bar} />
          {bar.previousY !== undefined && (
            <line
              className="bar-chart__previous"
              x1={bar.x - 2}
              x2={bar.x + bar.width + 2}
              y1={bar.previousY}
              y2={bar.previousY}
              data-testid="chart-previous"
            />
          )}
          {showValues &&
            bar.datum.value !== 0 &&
            (dense ? (
              <text
                className="bar-chart__value"
                transform={`translate(${bar.center} ${bar.y - 4}) rotate(-90)`}
                dy="0.32em"
                textAnchor="start"
              >
                {formatShort(bar.datum.value)}
              </text>
            ) : (
              <text className="bar-chart__value" x={bar.center} y={bar.y - 6} textAnchor="middle">
                {formatShort(bar.datum.value)}
              </text>
            ))}
          <text className="bar-chart__tick" x={bar.center} y={baseline + FONT + 4} textAnchor="middle">
            {truncate(bar.datum.tick ?? bar.datum.label, dense ? 3 : 12)}
          </text>
        </g>
      ))}
      <line className="bar-chart__axis" x1={margin.left} x2={margin.left + plotWidth} y1={baseline} y2={baseline} />
      <text className="bar-chart__axis-label" x={margin.left + plotWidth / 2} y={height - 8} textAnchor="middle">
        {categoryLabel}
      </text>
      <text
        className="bar-chart__axis-label"
        transform={`translate(14 ${margin.top + plotHeight / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {valueLabel}
      </text>
    </Drawing>
  );
}

function HorizontalBars({ width, data, categoryLabel, valueLabel, formatShort, showValues }: BarsProps) {
  const layout = horizontalLayout(data, width);
  const { margin, plotWidth, plotHeight, height } = layout;
  const baseline = margin.top + plotHeight;
  return (
    <Drawing width={width} height={height}>
      {layout.ticks.map((tick) => (
        <g key={tick.value}>
          <line className="bar-chart__grid" x1={tick.x} x2={tick.x} y1={margin.top} y2={baseline} />
          <text className="bar-chart__tick" x={tick.x} y={baseline + FONT + 6} textAnchor="middle">
            {formatShort(tick.value)}
          </text>
        </g>
      ))}
      {layout.bars.map((bar) => (
        <g key={bar.datum.key}>
          <text className="bar-chart__category" x={margin.left - 8} y={bar.middle} dy="0.32em" textAnchor="end">
            {truncate(bar.datum.tick ?? bar.datum.label, 20)}
          </text>
          <Bar {...bar} />
          {bar.previousX !== undefined && (
            <line
              className="bar-chart__previous"
              x1={bar.previousX}
              x2={bar.previousX}
              y1={bar.y - 3}
              y2={bar.y + bar.height + 3}
              data-testid="chart-previous"
            />
          )}
          {showValues && (
            <text
              className="bar-chart__value"
              x={Math.max(bar.x + bar.width, bar.previousX ?? 0) + 6}
              y={bar.middle}
              dy="0.32em"
            >
              {formatShort(bar.datum.value)}
            </text>
          )}
        </g>
      ))}
      <line className="bar-chart__axis" x1={margin.left} x2={margin.left} y1={margin.top} y2={baseline} />
      <text className="bar-chart__axis-label" x={margin.left + plotWidth / 2} y={height - 8} textAnchor="middle">
        {valueLabel}
      </text>
      <text className="bar-chart__axis-label" x={8} y={height - 8} textAnchor="start">
        {categoryLabel}
      </text>
    </Drawing>
  );
}
