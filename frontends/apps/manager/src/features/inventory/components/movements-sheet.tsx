// One item's ledger, newest first: every change of stock (sale, delivery, count…) with the figure it left, who
// made it and why, so a surprising figure can be traced back.
import { Button, EmptyState, Sheet, Spinner } from "@tavolo/ui";
import { useSiteInfo } from "../../../lib/site";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { formatDateTime } from "../../../shared/format";
import { useStaff } from "../../staff/api/staff-api";
import { useMovements, type Movement, type StockItem } from "../api/inventory-api";
import { formatQuantity } from "../model/units";

const KINDS: Record<Movement["kind"], string> = {
  sale: "Sale",
  return: "Returned (void)",
  delivery: "Delivery",
  count: "Count",
  adjustment: "Adjustment",
  waste: "Waste",
  opening: "Opening stock",
};

function signed(delta: number, unit: StockItem["unit"]): string {
  return `${delta > 0 ? "+" : ""}${formatQuantity(delta, unit)}`;
}

export function MovementsSheet({ item, onClose }: { item: StockItem; onClose: () => void }) {
  const movements = useMovements(item.id);
  const staff = useStaff();
  const timeZone = useSiteInfo().data?.timezone;
  const names = new Map((staff.data ?? []).map((person) => [person.id, person.display_name]));
  const rows = movements.data ?? [];

  return (
    <Sheet
      open
      onClose={onClose}
      title={`History of ${item.name}`}
      data-testid="movements-sheet"
      footer={<Button onClick={onClose}>Close</Button>}
    >
      <p className="muted">
        On hand: <strong>{formatQuantity(item.on_hand, item.unit)}</strong>. The latest {rows.length || ""} changes,
        newest first.
      </p>
      {movements.isPending ? (
        <Spinner label="Loading the history" />
      ) : movements.isError ? (
        <ErrorBanner title="The history could not be loaded" error={movements.error} />
      ) : rows.length === 0 ? (
        <EmptyState title="No movements yet">Deliveries, sales, counts and waste show here.</EmptyState>
      ) : (
        <DataTable
          testId="movements-table"
          columns={["When", "What", { label: "Change", num: true }, { label: "Left", num: true }, "Why", "By"]}
        >
          {rows.map((movement) => (
            <tr key={movement.id} data-testid={`movement-${movement.kind}`}>
              <td className="nowrap">{formatDateTime(movement.at, timeZone)}</td>
              <td>{KINDS[movement.kind]}</td>
              <td className={`num nowrap ${movement.delta < 0 ? "inv-negative" : ""}`}>
                {signed(movement.delta, item.unit)}
              </td>
              <td className="num nowrap">{formatQuantity(movement.on_hand_after, item.unit)}</td>
              <td>
                {movement.reason ??
                  (movement.delivery_id !== null
                    ? `Delivery #${movement.delivery_id}`
                    : movement.order_item_id !== null
                      ? `Order item #${movement.order_item_id}`
                      : "—")}
              </td>
              <td>{movement.user_id === null ? "—" : (names.get(movement.user_id) ?? `#${movement.user_id}`)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Sheet>
  );
}
