// The draft on the order screen: what will go in the next round, editable line by line.
import type { Product } from "@tavolo/api";
import { formatMoney } from "@tavolo/ui";
import { memo } from "react";
import type { DraftLine } from "../model/draft";
import { describeDraftItem, placement } from "../model/describe";
import { estimateUnitPrice } from "../model/pricing";

interface DraftLinesProps {
  lines: DraftLine[];
  products: ReadonlyMap<number, Product>;
  /** False while the menu has not loaded (offline, first visit): a missing product is then no news. */
  menuReady: boolean;
  currency: string;
  onBump: (key: string, delta: number) => void;
  onEdit: (key: string) => void;
  onRemove: (key: string) => void;
}

export function DraftLines({ lines, products, menuReady, currency, onBump, onEdit, onRemove }: DraftLinesProps) {
  if (lines.length === 0) return null;
  return (
    <section className="ord-section" aria-labelledby="ord-draft-title">
      <h2 className="ord-section__title" id="ord-draft-title">
        New round · not sent yet
      </h2>
      <ul className="ord-list">
        {lines.map((line) => (
          <DraftLineRow
            key={line.key}
            line={line}
            product={products.get(line.item.product_id)}
            menuReady={menuReady}
            currency={currency}
            onBump={onBump}
            onEdit={onEdit}
            onRemove={onRemove}
          />
        ))}
      </ul>
    </section>
  );
}

interface DraftLineRowProps {
  line: DraftLine;
  product: Product | undefined;
  menuReady: boolean;
  currency: string;
  onBump: (key: string, delta: number) => void;
  onEdit: (key: string) => void;
  onRemove: (key: string) => void;
}

const DraftLineRow = memo(function DraftLineRow(props: DraftLineRowProps) {
  const { line, product, menuReady, currency, onBump, onEdit, onRemove } = props;
  const { item } = line;
  const details = describeDraftItem(product, item);
  const where = placement(item.seat, item.course);
  const problem = line.problem ?? (product || !menuReady ? null : "Not on the menu any more: remove it.");
  return (
    <li className={problem ? "ord-line ord-line--problem" : "ord-line"} data-testid="draft-line">
      <div className="ord-line__top">
        <button
          type="button"
          className="ord-line__main"
          onClick={() => onEdit(line.key)}
          disabled={!product}
          aria-label={`Edit ${product?.name ?? "line"}`}
          data-testid="draft-line-edit"
        >
          <span className="ord-line__name">
            <span className="ord-line__qty">{item.quantity}×</span> {product?.name ?? `Product ${item.product_id}`}
          </span>
          {details.length > 0 && <span className="ord-line__details">{details.join(" · ")}</span>}
          {where && <span className="ord-line__details">{where}</span>}
          {item.note && <span className="ord-line__note">“{item.note}”</span>}
          {problem && (
            <span className="ord-line__problem" role="alert">
              {problem}
            </span>
          )}
        </button>
        <span className="ord-line__price">
          {product ? formatMoney(estimateUnitPrice(product, item) * item.quantity, currency) : "—"}
        </span>
      </div>
      <div className="ord-line__actions">
        <button
          type="button"
          className="ord-icon-button"
          aria-label={item.quantity > 1 ? "One less" : "Remove"}
          onClick={() => (item.quantity > 1 ? onBump(line.key, -1) : onRemove(line.key))}
          data-testid="draft-line-minus"
        >
          −
        </button>
        <span className="ord-line__count" aria-label="Quantity">
          {item.quantity}
        </span>
        <button
          type="button"
          className="ord-icon-button"
          aria-label="One more"
          disabled={item.quantity >= 99}
          onClick={() => onBump(line.key, 1)}
          data-testid="draft-line-plus"
        >
          +
        </button>
        <button
          type="button"
          className="ord-line__edit"
          onClick={() => onEdit(line.key)}
          disabled={!product}
        >
          Edit
        </button>
        <button
          type="button"
          className="ord-icon-button ord-icon-button--danger"
          aria-label="Remove"
          onClick={() => onRemove(line.key)}
          data-testid="draft-line-remove"
        >
          ×
        </button>
      </div>
    </li>
  );
});
