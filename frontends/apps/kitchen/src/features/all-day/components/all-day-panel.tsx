import { useMemo } from "react";
import { allDay } from "../../../lib/board";
import { useBoard } from "../../../lib/live";
import "./all-day.css";

/** "All day": how many of each product the open tickets still need, most first, so a cook can batch them. */
export function AllDayPanel() {
  const { tickets } = useBoard();
  const lines = useMemo(() => allDay(tickets), [tickets]);
  return (
    <aside className="kds-allday" data-testid="all-day" aria-labelledby="all-day-title">
      <h2 id="all-day-title" className="kds-allday__title">
        All day
      </h2>
      {lines.length === 0 ? (
        <p className="kds-allday__empty">Nothing to make</p>
      ) : (
        <ol className="kds-allday__list">
          {lines.map((line) => (
            <li
              key={line.name}
              className="kds-allday__line"
              data-testid={`all-day-${line.name}`}
              data-count={line.count}
            >
              <span className="kds-allday__count">{line.count}</span>
              <span className="kds-allday__name">{line.name}</span>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
