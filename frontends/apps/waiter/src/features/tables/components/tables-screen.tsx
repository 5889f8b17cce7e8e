import { ApiError, NetworkError, type Table } from "@tavolo/api";
import { useQueryClient } from "@tanstack/react-query";
import { Banner, Button, EmptyState, Spinner, useNow } from "@tavolo/ui";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useLocation } from "wouter";
import { useOutbox } from "../../../lib/outbox";
import { useUser } from "../../../lib/session";
import { useCurrency } from "../../../lib/site";
import { useTableGroups, useTables } from "../api/tables-api";
import { useOpenTable } from "../hooks/use-open-table";
import { useSections } from "../hooks/use-sections";
import { useTakeTable } from "../hooks/use-take-table";
import { OpenTableSheet } from "./open-table-sheet";
import { TableInfoSheet } from "./table-info-sheet";
import { STATE_LABELS, TableTile } from "./table-tile";
import "./tables.css";

const STATES = ["free", "open", "partially_paid", "paid"] as const;

function openErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "TABLE_HAS_OPEN_ORDER") return "Someone else has just opened this table.";
    return error.message;
  }
  return "The table could not be opened. Try again.";
}

function takeErrorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof NetworkError) return "Can't reach the appliance: the table was not taken. Try again.";
  return "The table could not be taken. Try again.";
}

export function TablesScreen() {
  const user = useUser();
  const tables = useTables();
  const groups = useTableGroups();
  const outbox = useOutbox();
  const currency = useCurrency();
  const now = useNow(30_000);
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const openTable = useOpenTable();
  const takeTable = useTakeTable();
  const [opening, setOpening] = useState<Table | null>(null);
  const [viewing, setViewing] = useState<Table | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Tables this waiter opened while offline: the appliance does not know yet, the phone does.
  const pendingOpens = useMemo(() => {
    const refs = new Map<number, string>();
    for (const entry of outbox) {
      if (entry.kind !== "open" || entry.state === "failed") continue;
      if (user && entry.userId !== undefined && entry.userId !== user.id) continue;
      refs.set(entry.tableId, entry.orderRef);
    }
    return refs;
  }, [outbox, user]);

  const userId = user?.id;
  const isMine = useCallback(
    (table: Table) =>
      table.is_mine || (userId !== undefined && table.assistant_ids.includes(userId)) || pendingOpens.has(table.id),
    [userId, pendingOpens],
  );
  const sections = useSections(tables.data, groups.data, isMine);

  // One stable handler for every tile, so memoised tiles stay untouched by a poll; it reads the latest state.
  const latest = useRef({ isMine, pendingOpens, role: user?.role });
  useEffect(() => {
    latest.current = { isMine, pendingOpens, role: user?.role };
  });
  const select = useCallback(
    (table: Table) => {
      const { isMine: mine, pendingOpens: pending, role } = latest.current;
      setError(null);
      const pendingRef = pending.get(table.id);
      if (pendingRef) navigate(`/order/${pendingRef}`);
      else if (table.state === "free") setOpening(table);
      else if (table.order_id !== null && (mine(table) || role === "manager")) navigate(`/order/${table.order_id}`);
      else setViewing(table);
    },
    [navigate],
  );

  function take(table: Table) {
    takeTable.mutate(table, {
      onSuccess: () => setViewing(null),
      onError: (failure) => {
        setViewing(null);
        setError(takeErrorMessage(failure));
      },
    });
  }

  function open(table: Table, guests: number) {
    openTable.mutate(
      { table, guests },
      {
        onError: (failure) => {
          setOpening(null);
          setError(openErrorMessage(failure));
          void queryClient.invalidateQueries({ queryKey: ["tables"] });
        },
      },
    );
  }

  const counts = useMemo(() => {
    const result: Record<Table["state"], number> = { free: 0, open: 0, partially_paid: 0, paid: 0 };
    for (const table of tables.data ?? []) if (table.is_active) result[table.state] += 1;
    return result;
  }, [tables.data]);

  if (tables.isPending) {
    return (
      <div className="tables tables--center">
        <Spinner label="Loading tables" />
      </div>
    );
  }

  if (!tables.data) {
    const offline = tables.error instanceof NetworkError;
    return (
      <EmptyState
        title={offline ? "Can't reach the appliance" : "Tables could not be loaded"}
        action={
          <Button variant="primary" onClick={() => void tables.refetch()}>
            Try again
          </Button>
        }
      >
        {offline ? "Check that this phone is on the restaurant Wi-Fi." : tables.error?.message}
      </EmptyState>
    );
  }

  return (
    <div className="tables">
      {error && (
        <Banner
          tone="error"
          data-testid="tables-error"
          action={
            <Button variant="ghost" aria-label="Dismiss" onClick={() => setError(null)}>
              ✕
            </Button>
          }
        >
          {error}
        </Banner>
      )}
      <ul className="tables__legend" aria-label="Tables by state">
        {STATES.map((state) => (
          <li key={state} className="tables__legend-item" data-state={state}>
            {STATE_LABELS[state]} <strong>{counts[state]}</strong>
          </li>
        ))}
      </ul>
      {sections.length === 0 && <EmptyState title="No tables yet">A manager adds them in the manager app.</EmptyState>}
      {sections.map((section) => (
        <section key={section.key} className="tables__section" aria-labelledby={`tables-${section.key}`}>
          <h2 id={`tables-${section.key}`} className="tables__heading">
            {section.title} <span className="tables__count">{section.tables.length}</span>
          </h2>
          <div className="tables__grid">
            {section.tables.map((table) => (
              <TableTile
                key={table.id}
                table={table}
                mine={isMine(table)}
                pending={pendingOpens.has(table.id)}
                now={now}
                currency={currency}
                onSelect={select}
              />
            ))}
          </div>
        </section>
      ))}
      <OpenTableSheet
        key={opening?.id ?? "none"}
        table={opening}
        busy={openTable.isPending}
        onOpen={open}
        onClose={() => setOpening(null)}
      />
      <TableInfoSheet
        table={viewing}
        now={now}
        currency={currency}
        onClose={() => setViewing(null)}
        onTake={take}
        taking={takeTable.isPending}
      />
    </div>
  );
}
