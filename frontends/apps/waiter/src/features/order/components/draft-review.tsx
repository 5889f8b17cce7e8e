// The last look before a round goes to the kitchen: every line, its modifiers and the estimated total.
import type { Product } from "@tavolo/api";
import { Banner, Button, Money, Sheet, formatMoney } from "@tavolo/ui";
import { holdNotice } from "../model/courses";
import { draftQuantity, draftTotal, type DraftLine } from "../model/draft";
import { describeDraftItem, placement } from "../model/describe";
import { estimateUnitPrice } from "../model/pricing";

interface DraftReviewProps {
  /** The draft, or while sending the round on its way (it leaves the draft as soon as it is queued). */
  lines: readonly DraftLine[];
  products: ReadonlyMap<number, Product>;
  currency: string;
  tableLabel: string;
  sending: boolean;
  error: string | null;
  /** Why sending is not possible right now (e.g. the table is not known yet), if it is not. */
  blockedReason: string | null;
  /** Courses of this round the kitchen will hold until the waiter fires them. */
  heldCourses: readonly number[];
  onSend: () => void;
  onClose: () => void;
}

export function DraftReview({
  lines,
  products,
  currency,
  tableLabel,
  sending,
  error,
  blockedReason,
  heldCourses,
  onSend,
  onClose,
}: DraftReviewProps) {
  const quantity = draftQuantity(lines);
  const held = new Set(heldCourses);
  const notice = holdNotice(heldCourses);
  const total = draftTotal(lines, products);
  return (
    <Sheet
      open
      onClose={onClose}
      // Leaving mid-send would hide whether the round went out or was refused (its lines then come back).
      dismissible={!sending}
      title={`Review · ${tableLabel}`}
      data-testid="draft-review"
      footer={
        <>
          <Button variant="secondary" size="large" disabled={sending} onClick={onClose}>
            Back
          </Button>
          <Button
            variant="primary"
            size="large"
            busy={sending}
            disabled={lines.length === 0 || blockedReason !== null}
            onClick={onSend}
            data-testid="send-draft"
          >
            Send {quantity} item{quantity === 1 ? "" : "s"}
          </Button>
        </>
      }
    >
      <div className="ord-sheet">
      {error && (
        <Banner tone="error" title="Not sent" data-testid="send-error">
          {error}
        </Banner>
      )}
      {blockedReason && <Banner tone="warn">{blockedReason}</Banner>}
      {notice && (
        <Banner tone="info" compact data-testid="review-held">
          {notice}
        </Banner>
      )}
      <ul className="ord-list">
        {lines.map((line) => {
          const product = products.get(line.item.product_id);
          const details = describeDraftItem(product, line.item);
          const where = placement(line.item.seat, line.item.course);
          return (
            <li
              key={line.key}
              className={line.problem ? "ord-review-line ord-line--problem" : "ord-review-line"}
              data-testid="review-line"
            >
              <div className="ord-review-line__head">
                <span className="ord-line__name">
                  <span className="ord-line__qty">{line.item.quantity}×</span>{" "}
                  {product?.name ?? `Product ${line.item.product_id}`}
                </span>
                <span className="ord-line__price">
                  {product ? formatMoney(estimateUnitPrice(product, line.item) * line.item.quantity, currency) : "—"}
                </span>
              </div>
              {details.length > 0 && <span className="ord-line__details">{details.join(" · ")}</span>}
              {where && (
                <span className="ord-line__details">
                  {where}
                  {held.has(line.item.course) && " · held until fired"}
                </span>
              )}
              {line.item.note && <span className="ord-line__note">“{line.item.note}”</span>}
              {line.problem && <span className="ord-line__problem">{line.problem}</span>}
            </li>
          );
        })}
      </ul>
      <p className="ord-review-total">
        <span>Estimated total</span>
        <Money amount={total} currency={currency} className="ord-review-total__amount" data-testid="review-total" />
      </p>
      <p className="ord-muted">The appliance prices the items when they arrive; the bill shows its prices.</p>
      </div>
    </Sheet>
  );
}
