import type { KitchenItem } from "../../../lib/board";
import { useAdvanceItem } from "../hooks/use-board-actions";

const STATUS_LABEL: Record<KitchenItem["status"], string> = {
  pending: "To do",
  preparing: "Preparing",
  ready: "Ready",
  served: "Served",
  cancelled: "Void",
};

export interface TicketItemProps {
  item: KitchenItem;
}

function tapHint(item: KitchenItem, next: string | null): string {
  if (item.status === "cancelled") return "cancelled";
  if (item.held) return `held until course ${item.course} is fired`;
  return next ? `tap to mark ${next}` : STATUS_LABEL[item.status].toLowerCase();
}

/** One line of a ticket: a big tap target that moves the item on (to do → preparing → ready). */
export function TicketItem({ item }: TicketItemProps) {
  const { next, busy, advance } = useAdvanceItem(item);
  const voided = item.status === "cancelled";
  const classes = ["kds-item", `kds-item--${item.status}`];
  if (item.held && !voided) classes.push("kds-item--held");
  const label = `${item.quantity} × ${item.product_name}`;
  // Course 1 is every item's unless said otherwise; a held item says its course in its HOLD line already.
  const showCourseTag = item.course > 1 && !(item.held && !voided);
  const tags = item.seat !== null || showCourseTag || Boolean(item.guest_nickname);
  return (
    <li className="kds-item__row">
      <button
        type="button"
        className={classes.join(" ")}
        data-testid={`kds-item-${item.id}`}
        data-status={item.status}
        data-held={String(item.held)}
        aria-label={`${label}, ${tapHint(item, next)}`}
        aria-busy={busy || undefined}
        disabled={next === null}
        onClick={advance}
      >
        <span className="kds-item__main">
          <span className="kds-item__qty">{item.quantity}×</span>
          <span className="kds-item__name">{item.product_name}</span>
          {voided ? (
            <span className="kds-item__badge kds-item__badge--void">VOID</span>
          ) : (
            !item.held && (
              <span className={`kds-item__badge kds-item__badge--${item.status}`}>{STATUS_LABEL[item.status]}</span>
            )
          )}
        </span>
        {(tags || (item.held && !voided)) && (
          <span className="kds-item__sub">
            {item.held && !voided && <span className="kds-item__hold">HOLD · course {item.course}</span>}
            {item.seat !== null && <span className="kds-tag">Seat {item.seat}</span>}
            {showCourseTag && <span className="kds-tag">Course {item.course}</span>}
            {item.guest_nickname && <span className="kds-tag kds-tag--guest">Guest: {item.guest_nickname}</span>}
          </span>
        )}
        {item.choices.map((choice) => (
          <span key={`c-${choice}`} className="kds-mod kds-mod--choice">
            ▸ {choice}
          </span>
        ))}
        {item.options.map((option) => (
          <span key={`o-${option}`} className="kds-mod kds-mod--option">
            + {option}
          </span>
        ))}
        {item.removed.map((removed) => (
          <span key={`r-${removed}`} className="kds-mod kds-mod--removed">
            NO {removed}
          </span>
        ))}
        {item.note && <span className="kds-mod kds-mod--note">“{item.note}”</span>}
      </button>
    </li>
  );
}
