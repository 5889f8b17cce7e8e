// Purchase orders: drafts per supplier (suggested from what is low or will run out tomorrow, or by hand), sent and
// emailed to the supplier (queued until the SMTP server can be reached), printed, exported as CSV, received.
import { Button, EmptyState, formatMoney, Spinner } from "@tavolo/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { keys } from "../../../lib/query-keys";
import { useCurrency, useSiteInfo } from "../../../lib/site";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { formatDateTime } from "../../../shared/format";
import { suggestOrders, usePurchaseOrders, type PurchaseOrder, type PurchaseOrderStatus } from "../api/purchasing-api";
import { emailState, OrderStatusChip } from "./order-status";
import { PurchaseOrderSheet } from "./purchase-order-sheet";

type Filter = PurchaseOrderStatus | "open" | "all";

export function PurchaseOrdersPage() {
  const orders = usePurchaseOrders();
  const currency = useCurrency();
  const timeZone = useSiteInfo().data?.timezone;
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Filter>("open");
  // `created`: a new draft, shown while the list reads it back.
  const [open, setOpen] = useState<{ id: number | null; created?: PurchaseOrder } | null>(null);
  const suggest = useMutation({
    mutationFn: suggestOrders,
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.inventory }),
  });
  const all = orders.data ?? [];
  const shown = all.filter((order) =>
    filter === "all"
      ? true
      : filter === "open"
        ? order.status === "draft" || order.status === "sent"
        : order.status === filter,
  );

  return (
    <>
      <div className="toolbar inv-toolbar">
        <label className="field">
          <span className="field__label">Show</span>
          <select value={filter} onChange={(event) => setFilter(event.target.value as Filter)} data-testid="po-filter">
            <option value="open">Open (drafts and sent)</option>
            <option value="draft">Drafts</option>
            <option value="sent">Sent</option>
            <option value="received">Received</option>
            <option value="cancelled">Cancelled</option>
            <option value="all">All</option>
          </select>
        </label>
        <span className="inv-toolbar__end">
          <Button busy={suggest.isPending} onClick={() => suggest.mutate()} data-testid="po-suggest">
            Suggest from low stock
          </Button>
          <Button variant="primary" onClick={() => setOpen({ id: null })} data-testid="po-new">
            New order
          </Button>
        </span>
      </div>
      {suggest.isError && <ErrorBanner title="No suggestion" error={suggest.error} />}
      {suggest.isSuccess && (
        <p role="status" className="muted" data-testid="po-suggested">
          {suggest.data.length === 0
            ? "Nothing to add: every low item is on an order already."
            : `${suggest.data.length} draft${suggest.data.length === 1 ? "" : "s"} updated with what is low.`}
        </p>
      )}
      <div className="panel">
        {orders.isPending ? (
          <Spinner label="Loading purchase orders" />
        ) : orders.isError ? (
          <ErrorBanner title="The purchase orders could not be loaded" error={orders.error} />
        ) : shown.length === 0 ? (
          <EmptyState title="No purchase orders here">
            Drafts appear by themselves when items reach their critical level; “Suggest from low stock” fills them
            now.
          </EmptyState>
        ) : (
          <DataTable
            testId="po-table"
            columns={[
              "No.",
              "Supplier",
              "State",
              { label: "Lines", num: true },
              { label: "Total", num: true },
              "Created",
              "Email",
              { label: "Actions", hidden: true },
            ]}
          >
            {shown.map((order) => (
              <tr key={order.id} data-testid={`po-row-${order.id}`}>
                <td className="num">{order.number}</td>
                <td>{order.supplier_name ?? <span className="muted">No supplier yet</span>}</td>
                <td>
                  <OrderStatusChip status={order.status} />
                </td>
                <td className="num">{order.lines.length}</td>
                <td className="num nowrap">
                  {order.total_cost === null ? "—" : formatMoney(order.total_cost, currency)}
                </td>
                <td className="nowrap">
                  {formatDateTime(order.created_at, timeZone)}
                  {order.created_by_id === null && <div className="muted">by the appliance</div>}
                </td>
                <td className="muted">{emailState(order)}</td>
                <td>
                  <div className="row-actions">
                    <Button onClick={() => setOpen({ id: order.id })} data-testid="po-open">
                      Open
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
      {open && (
        <PurchaseOrderSheet
          order={open.id === null ? null : (all.find((order) => order.id === open.id) ?? open.created ?? null)}
          onCreated={(created) => setOpen({ id: created.id, created })}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}
