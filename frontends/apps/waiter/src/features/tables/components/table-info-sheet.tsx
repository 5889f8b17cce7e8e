import type { Table } from "@tavolo/api";
import { Button, formatElapsed, formatMoney, Sheet } from "@tavolo/ui";
import { STATE_LABELS, tableName } from "./table-tile";

interface TableInfoSheetProps {
  table: Table | null;
  now: number;
  currency: string;
  onClose: () => void;
  /** Take a table the guests opened (shown only for such a table). */
  onTake: (table: Table) => void;
  taking: boolean;
}

/** Someone else's table: what is going on there, read only; or a table guests opened by QR, for the taking. */
export function TableInfoSheet({ table, now, currency, onClose, onTake, taking }: TableInfoSheetProps) {
  const byGuests = table?.by_guests ?? false;
  const owner = byGuests ? "Guests (QR)" : (table?.waiter_name ?? "another waiter");
  return (
    <Sheet
      open={table !== null}
      onClose={onClose}
      title={table ? `${tableName(table)} · ${owner}` : ""}
      data-testid="table-info-sheet"
      footer={
        byGuests && table ? (
          <div className="table-info__actions">
            <Button size="large" onClick={onClose}>
              Not now
            </Button>
            <Button
              size="large"
              variant="primary"
              disabled={taking}
              data-testid="take-table"
              onClick={() => onTake(table)}
            >
              {taking ? "Taking…" : "Take this table"}
            </Button>
          </div>
        ) : (
          <Button size="large" block onClick={onClose}>
            OK
          </Button>
        )
      }
    >
      {table && (
        <>
          <dl className="table-info">
            <dt>State</dt>
            <dd>{STATE_LABELS[table.state]}</dd>
            <dt>Waiter</dt>
            <dd data-testid="table-owner">{owner}</dd>
            {table.guests ? (
              <>
                <dt>Guests</dt>
                <dd>{table.guests}</dd>
              </>
            ) : null}
            {table.opened_at && (
              <>
                <dt>Open for</dt>
                <dd>{formatElapsed(table.opened_at, now)}</dd>
              </>
            )}
            <dt>Total</dt>
            <dd>{formatMoney(table.total, currency)}</dd>
            <dt>Due</dt>
            <dd>{formatMoney(table.due, currency)}</dd>
          </dl>
          {byGuests ? (
            <p className="table-info__note">
              The guests ordered from the table's QR code and no waiter serves this table yet. Take it to serve it:
              its orders, bill and kitchen calls then come to your phone.
            </p>
          ) : (
            <p className="table-info__note">
              This is {owner}'s table. Only {owner} and the waiters assisting them can take orders or payments here.
            </p>
          )}
        </>
      )}
    </Sheet>
  );
}
