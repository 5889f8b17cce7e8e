// "▲ 12.5%" next to a figure: the arrow and the words say the direction (colour only adds good or bad news).
import { describeChange, type Better } from "../lib/change";

export function ChangeBadge({
  value,
  previous,
  percent,
  better = "up",
  testId,
}: {
  value: number;
  previous: number;
  /** The appliance's own percentage, when it sent one. */
  percent?: number | null;
  better?: Better;
  testId?: string;
}) {
  const change = describeChange(value, previous, { percent, better });
  return (
    <span className={`change change--${change.tone}`} data-trend={change.trend} data-testid={testId}>
      <span aria-hidden="true">
        {change.arrow} {change.percent}
      </span>
      <span className="visually-hidden">{change.words}</span>
    </span>
  );
}
