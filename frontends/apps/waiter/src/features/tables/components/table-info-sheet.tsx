import type { Table } from "@tavolo/api";
import { Button, formatElapsed, formatMoney, Sheet } from "@tavolo/ui";
import { STATE_LABELS, tableName } from "./table-tile";

interface TableInfoSheetProps {
  table: Table | null;
  now: number;
  currency: string;
  onClose: () => void;
}

/** Someone else's table: what is going on there, read only. */
export function TableInfoSheet({ table, now, currency, onClose }: TableInfoSheetProps) {
  const owner = table?.waiter_name ?? "another waiter";
  return (
    <Sheet
      open={table !== null}
      onClose={onClose}
      title={table ? `${tableName(table)} · ${owner}` : ""}
      data-testid="table-info-sheet"
      footer={
        <Button size="large" block onClick={onClose}>
          OK
        </Button>
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
          <p className="table-info__note">
            This is {owner}'s table. Only {owner} and the waiters assisting them can take orders or payments here.
          </p>
        </>
      )}
    </Sheet>
  );
}
