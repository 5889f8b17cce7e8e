// Peak hours: a 7 x 24 grid (weekdays by hours of the site's clock), each cell shaded by one of a few steps of
// orders or revenue. Each cell names itself (weekday, hour, figure) to a pointer and a screen reader, the legend
// says what each shade holds, and the same numbers are in a table under it, hidden until asked for.
import { formatMoney } from "@tavolo/ui";
import { useId, useState } from "react";
import type { HeatCell } from "../api/analytics-api";
import { formatCount } from "../lib/format";
import { HEAT_LEVELS, WEEKDAY_NAMES, heatColor, heatLegend, heatLevel, hourRange } from "../lib/heat";
import type { Measure } from "./toggle";

const WIDTH = 1200;
const LEFT = 112;
const TOP = 30;
const ROW = 42;
const GAP = 3;
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export function HeatMap({ cells, measure, currency }: { cells: HeatCell[]; measure: Measure; currency: string }) {
  const [showTable, setShowTable] = useState(false);
  const titleId = useId();
  const tableId = useId();
  const valueOf = (cell: HeatCell) => (measure === "revenue" ? cell.revenue : cell.orders);
  const grid = WEEKDAY_NAMES.map((_, weekday) =>
    HOURS.map((hour) => cells.find((c) => c.weekday === weekday && c.hour === hour)),
  );
  const max = Math.max(0, ...cells.map(valueOf));
  const format = (value: number) => (measure === "revenue" ? formatMoney(value, currency) : formatCount(value));
  const describe = (weekday: number, hour: number, cell: HeatCell | undefined) =>
    `${WEEKDAY_NAMES[weekday]} ${hourRange(hour)}: ${formatCount(cell?.orders ?? 0)} orders, ${formatMoney(
      cell?.revenue ?? 0,
      currency,
    )}`;
  const peak = cells.reduce<HeatCell | null>(
    (best, cell) => (best && valueOf(best) >= valueOf(cell) ? best : cell),
    null,
  );
  const column = (WIDTH - LEFT) / 24;
  const height = TOP + 7 * ROW;
  const title = `Peak hours by ${measure === "revenue" ? "revenue" : "orders"}`;

  return (
    <figure className="heat-map" aria-labelledby={titleId} data-testid="heat-map" data-max={max}>
      <div className="bar-chart__head">
        <figcaption id={titleId} className="bar-chart__title">
          {title}
        </figcaption>
        <button
          type="button"
          className="bar-chart__toggle"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable((shown) => !shown)}
        >
          {showTable ? "Hide numbers" : "Show numbers"}
        </button>
      </div>
      <p className="muted" data-testid="heat-peak">
        {peak && valueOf(peak) > 0
          ? `Busiest: ${describe(peak.weekday, peak.hour, peak)}.`
          : "No orders in this period."}
      </p>
      <svg className="heat-map__svg" viewBox={`0 0 ${WIDTH} ${height}`} role="group" aria-label={title}>
        {HOURS.map((hour) => (
          <text
            key={hour}
            className="bar-chart__tick"
            x={LEFT + hour * column + column / 2}
            y={TOP - 10}
            textAnchor="middle"
            aria-hidden="true"
          >
            {String(hour).padStart(2, "0")}
          </text>
        ))}
        {grid.map((row, weekday) => (
          <g key={weekday}>
            <text
              className="bar-chart__category"
              x={LEFT - 10}
              y={TOP + weekday * ROW + ROW / 2}
              dy="0.32em"
              textAnchor="end"
              aria-hidden="true"
            >
              {WEEKDAY_NAMES[weekday]}
            </text>
            {row.map((cell, hour) => {
              const value = cell ? valueOf(cell) : 0;
              const level = heatLevel(value, max);
              const label = describe(weekday, hour, cell);
              return (
                <rect
                  key={hour}
                  className="heat-map__cell"
                  x={LEFT + hour * column + GAP / 2}
                  y={TOP + weekday * ROW + GAP / 2}
                  width={column - GAP}
                  height={ROW - GAP}
                  rx={4}
                  style={{ fill: heatColor(level) }}
                  role="img"
                  aria-label={label}
                  data-testid="heat-cell"
                  data-weekday={weekday}
                  data-hour={hour}
                  data-value={value}
                  data-level={level}
                >
                  <title>{label}</title>
                </rect>
              );
            })}
          </g>
        ))}
      </svg>
      <HeatLegend max={max} format={format} />
      <div className={showTable ? "table-wrap" : "visually-hidden"}>
        <table id={tableId} className="data-table heat-map__table" data-testid="heat-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Weekday</th>
              {HOURS.map((hour) => (
                <th key={hour} scope="col" className="num">
                  <span aria-hidden="true">{String(hour).padStart(2, "0")}</span>
                  <span className="visually-hidden">{hourRange(hour)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((row, weekday) => (
              <tr key={weekday}>
                <th scope="row">{WEEKDAY_NAMES[weekday]}</th>
                {row.map((cell, hour) => (
                  <td key={hour} className="num">
                    {cell && valueOf(cell) !== 0 ? format(valueOf(cell)) : "0"}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

function HeatLegend({ max, format }: { max: number; format: (value: number) => string }) {
  const steps = heatLegend(max, HEAT_LEVELS);
  return (
    <ul className="heat-legend" aria-label="Colour scale" data-testid="heat-legend">
      {steps.map((step) => (
        <li key={step.level} className="heat-legend__step">
          <span className="heat-legend__swatch" style={{ background: heatColor(step.level) }} aria-hidden="true" />
          {step.level === 0
            ? "None"
            : step.from === step.to
              ? format(step.from)
              : `${format(step.from)} – ${format(step.to)}`}
        </li>
      ))}
    </ul>
  );
}
