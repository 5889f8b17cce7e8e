// Purchase orders to suppliers (/api/inventory/purchase-orders): drafts (by hand, or suggested from what is low),
// sent (and emailed: queued until the SMTP server takes it), received (a delivery), printed, exported as CSV.
import { unwrap, type Schemas } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";
import { keys } from "../../../lib/query-keys";
import { filenameFromDisposition, saveBlob } from "../../reports/api/export-api";

export type PurchaseOrder = Schemas["PurchaseOrderRead"];
export type PurchaseOrderCreate = Schemas["PurchaseOrderCreate"];
export type PurchaseOrderUpdate = Schemas["PurchaseOrderUpdate"];
export type PurchaseOrderStatus = PurchaseOrder["status"];
export type ReceiveRequest = Schemas["ReceiveRequest"];

export const purchaseKeys = {
  all: [...keys.inventory, "purchase-orders"] as const,
};

const order = (id: number) => ({ path: { order_id: id } });

/** The latest orders, newest first. An email's state moves on its own (the mailer), so the list polls. */
export function usePurchaseOrders() {
  return useQuery({
    queryKey: purchaseKeys.all,
    queryFn: () => unwrap(api.GET("/api/inventory/purchase-orders", { params: { query: { limit: 100 } } })),
    refetchInterval: usePollInterval(15_000) || 60_000,
  });
}

export const createOrder = (body: PurchaseOrderCreate) =>
  unwrap(api.POST("/api/inventory/purchase-orders", { body }));

export const suggestOrders = () => unwrap(api.POST("/api/inventory/purchase-orders/suggest"));

export const updateOrder = ({ id, body }: { id: number; body: PurchaseOrderUpdate }) =>
  unwrap(api.PATCH("/api/inventory/purchase-orders/{order_id}", { params: order(id), body }));

export const sendOrder = ({ id, email }: { id: number; email: boolean }) =>
  unwrap(api.POST("/api/inventory/purchase-orders/{order_id}/send", { params: order(id), body: { email } }));

export const receiveOrder = ({ id, body }: { id: number; body: ReceiveRequest }) =>
  unwrap(api.POST("/api/inventory/purchase-orders/{order_id}/receive", { params: order(id), body }));

export const cancelOrder = (id: number) =>
  unwrap(api.POST("/api/inventory/purchase-orders/{order_id}/cancel", { params: order(id) }));

export const printOrder = (id: number) =>
  unwrap(api.POST("/api/inventory/purchase-orders/{order_id}/print", { params: order(id), body: {} }));

/** The order as the appliance's CSV (quantities in kg, l or pieces), saved under its own file name. */
export async function downloadOrderCsv(purchaseOrder: PurchaseOrder): Promise<string> {
  const pending = api.GET("/api/inventory/purchase-orders/{order_id}/csv", {
    params: order(purchaseOrder.id),
    parseAs: "blob",
  });
  const blob = (await unwrap(pending)) as Blob;
  const { response } = await pending;
  const filename =
    filenameFromDisposition(response.headers.get("Content-Disposition")) ??
    `tavolo-purchase-order-${purchaseOrder.number}.csv`;
  saveBlob(blob, filename);
  return filename;
}
