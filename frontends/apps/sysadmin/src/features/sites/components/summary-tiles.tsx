import type { SiteStatus, SiteSummary } from "@tavolo/api";
import { STATUS_HINT, STATUS_LABEL, STATUS_ORDER } from "../../../shared/site-status";

interface Tile {
  status: SiteStatus | null;
  label: string;
  hint: string;
  count: number | undefined;
}

/** A count per status; each tile filters the list to its status (the first shows every site again). */
export function SummaryTiles({
  summary,
  selected,
  onSelect,
}: {
  summary: SiteSummary | undefined;
  selected: SiteStatus | null;
  onSelect: (status: SiteStatus | null) => void;
}) {
  const tiles: Tile[] = [
    { status: null, label: "All sites", hint: "Every registered site", count: summary?.total },
    ...STATUS_ORDER.map((status) => ({
      status,
      label: STATUS_LABEL[status],
      hint: STATUS_HINT[status],
      count: summary?.[status],
    })),
  ];
  return (
    <div className="tiles" role="group" aria-label="Filter by status">
      {tiles.map((tile) => {
        const pressed = tile.status === selected;
        return (
          <button
            key={tile.status ?? "all"}
            type="button"
            className={`tile tile--${tile.status ?? "all"}`}
            aria-pressed={pressed}
            title={tile.hint}
            data-testid={`tile-${tile.status ?? "all"}`}
            // The pressed tile again clears the filter: a toggle, like the hint on hover says.
            onClick={() => onSelect(pressed ? null : tile.status)}
          >
            <span className="tile__label">{tile.label}</span>
            <span className="tile__count" data-testid={`count-${tile.status ?? "all"}`}>
              {tile.count ?? "–"}
            </span>
          </button>
        );
      })}
    </div>
  );
}
