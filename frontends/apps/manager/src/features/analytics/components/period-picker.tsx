// Which period the analytics show: Day, Week, Month, Quarter or Year, stepped back and forth, or any range of
// days. Each choice is a new address (the back button goes to the period before), and the previous period every
// figure is compared with is named under it.
import { Button } from "@tavolo/ui";
import { useState } from "react";
import { Field } from "../../../shared/field";
import {
  describePeriod,
  describeRange,
  hasNext,
  previousRange,
  rangeOf,
  rangeProblem,
  stepPeriod,
  switchKind,
  type Period,
  type PeriodKind,
} from "../lib/period";

const KINDS: { kind: PeriodKind | "custom"; label: string }[] = [
  { kind: "day", label: "Day" },
  { kind: "week", label: "Week" },
  { kind: "month", label: "Month" },
  { kind: "quarter", label: "Quarter" },
  { kind: "year", label: "Year" },
  { kind: "custom", label: "Custom" },
];

export function PeriodPicker({
  period,
  today,
  onChange,
}: {
  period: Period;
  today: string;
  onChange: (period: Period) => void;
}) {
  const range = rangeOf(period);
  return (
    <div className="panel period-picker" data-testid="period-picker">
      <div className="segmented" role="group" aria-label="Period">
        {KINDS.map(({ kind, label }) => (
          <button
            key={kind}
            type="button"
            className="segmented__option"
            aria-pressed={period.kind === kind}
            data-testid={`period-${kind}`}
            onClick={() => {
              if (period.kind !== kind) onChange(switchKind(period, kind, today));
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="period-picker__step">
        <Button onClick={() => onChange(stepPeriod(period, -1))} data-testid="period-previous">
          <span aria-hidden="true">◀ </span>Previous
        </Button>
        <div className="period-picker__label">
          <strong data-testid="period-label" data-from={range.from} data-to={range.to}>
            {describePeriod(period)}
          </strong>
          <span className="muted" data-testid="period-compared">
            compared with {describeRange(previousRange(range))}
          </span>
        </div>
        <Button
          onClick={() => onChange(stepPeriod(period, 1))}
          disabled={!hasNext(period, today)}
          data-testid="period-next"
        >
          Next<span aria-hidden="true"> ▶</span>
        </Button>
      </div>
      {period.kind === "custom" && (
        <CustomRange key={`${period.from}|${period.to}`} from={period.from} to={period.to} onChange={onChange} />
      )}
    </div>
  );
}

function CustomRange({ from, to, onChange }: { from: string; to: string; onChange: (period: Period) => void }) {
  const [start, setStart] = useState(from);
  const [end, setEnd] = useState(to);
  const problem = rangeProblem(start, end);
  const changed = start !== from || end !== to;
  return (
    <form
      className="toolbar"
      onSubmit={(event) => {
        event.preventDefault();
        if (problem === null) onChange({ kind: "custom", from: start, to: end });
      }}
    >
      <Field label="First day">
        {(control) => (
          <input
            {...control}
            type="date"
            value={start}
            data-testid="period-from"
            onChange={(event) => setStart(event.target.value)}
          />
        )}
      </Field>
      <Field label="Last day" error={changed ? problem : null}>
        {(control) => (
          <input
            {...control}
            type="date"
            value={end}
            data-testid="period-to"
            onChange={(event) => setEnd(event.target.value)}
          />
        )}
      </Field>
      <Button type="submit" variant="primary" disabled={problem !== null || !changed} data-testid="period-apply">
        Show
      </Button>
    </form>
  );
}
