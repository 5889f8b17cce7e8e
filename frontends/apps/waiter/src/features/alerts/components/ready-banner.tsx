// "Ready to run": the kitchen finished a table's items. Shown to the order's waiters until they open the
// order or dismiss it; the phone also vibrates when the notice arrives (lib/live.ts).
import type { Table } from "@tavolo/api";
import { useQueryClient } from "@tanstack/react-query";
import { Link } from "wouter";
import { dismissReady, readyStore } from "../../../lib/live";
import { useStore } from "../../../lib/store";
import "./alert-banner.css";

export function ReadyBanner() {
  const notices = useStore(readyStore);
  const queryClient = useQueryClient();
  if (notices.length === 0) return null;
  const tables = queryClient.getQueryData<Table[]>(["tables"]) ?? [];
  const label = (tableId: number) => tables.find((table) => table.id === tableId)?.label ?? `table ${tableId}`;
  return (
    <section className="ready" aria-label="Ready to run" data-testid="ready-banner">
      <ul className="ready__list">
        {notices.map((notice) => (
          <li key={notice.orderId} className="ready__item" role="alert" data-testid="ready-notice">
            <Link href={`/order/${notice.orderId}`} className="ready__link" onClick={() => dismissReady(notice.orderId)}>
              <span>
                <strong>{label(notice.tableId)}</strong> ready to run
              </span>
            </Link>
            <button
              type="button"
              className="ready__dismiss"
              aria-label={`Dismiss ${label(notice.tableId)}`}
              onClick={() => dismissReady(notice.orderId)}
            >
              OK
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
