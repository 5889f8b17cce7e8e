// The live floor (route /) and, beside it, the order a tapped table has open (/orders/:id). "Edit layout"
// turns the plan into the editor: tables are moved, then saved together (PUT /api/tables/positions) or left.
import type { Table } from "@tavolo/api";
import { Banner, Button, EmptyState, FormError, Spinner, useNow } from "@tavolo/ui";
import { useId, useMemo, useState } from "react";
import { Link, useLocation } from "wouter";
import { useCurrency } from "../../../lib/site";
import { ErrorBanner } from "../../../shared/error-banner";
import { describeError } from "../../../shared/errors";
import { useSavePositions, useTableGroups, useTables } from "../api/floor-api";
import { autoPlace, changedPositions, floorSections, type Pos } from "../model/layout";
import { FloorPlan } from "./floor-plan";
import { STATE_LABELS } from "./floor-table";
import { OrderDetail } from "./order-detail";
import "./floor.css";

export function FloorScreen({ orderId }: { orderId?: number }) {
  const tables = useTables();
  const groups = useTableGroups();
  const currency = useCurrency();
  const now = useNow(15_000);
  const [, navigate] = useLocation();
  const save = useSavePositions();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Map<number, Pos>>(() => new Map());
  const [announcement, setAnnouncement] = useState("");
  const hintId = useId();

  const sections = useMemo(
    () => floorSections(tables.data ?? [], groups.data ?? []),
    [tables.data, groups.data],
  );
  const automatic = useMemo(() => {
    const all = new Map<number, Pos>();
    for (const section of sections) for (const [id, pos] of autoPlace(section.tables)) all.set(id, pos);
    return all;
  }, [sections]);
  const positions = useMemo(() => {
    if (draft.size === 0) return automatic;
    const merged = new Map(automatic);
    for (const [id, pos] of draft) merged.set(id, pos);
    return merged;
  }, [automatic, draft]);

  const moved = editing ? [...draft.keys()].filter((id) => automatic.has(id)).length : 0;
  const occupied = (tables.data ?? []).filter((t) => t.state !== "free");
  const guests = occupied.reduce((sum, t) => sum + (t.guests ?? 0), 0);

  function startEditing() {
    save.reset();
    setDraft(new Map());
    setEditing(true);
    // The editor wants the whole width; the order can be opened again after.
    if (orderId !== undefined) navigate("/");
  }

  function cancelEditing() {
    setDraft(new Map());
    setEditing(false);
    save.reset();
    setAnnouncement("Layout changes discarded.");
  }

  function saveLayout() {
    const changes = changedPositions(tables.data ?? [], positions);
    if (changes.size === 0) {
      setEditing(false);
      setDraft(new Map());
      return;
    }
    save.mutate(changes, {
      onSuccess: () => {
        setEditing(false);
        setDraft(new Map());
        setAnnouncement("Layout saved.");
      },
    });
  }

  function moveTable(id: number, pos: Pos) {
    setDraft((previous) => new Map(previous).set(id, pos));
  }

  const loading = tables.isPending || groups.isPending;
  const loadError = tables.error ?? groups.error;

  return (
    <div className={orderId !== undefined && !editing ? "floor-screen floor-screen--detail" : "floor-screen"}>
      <section className="page floor-screen__floor" aria-labelledby="floor-title">
        <div className="page-head">
          <h1 id="floor-title" tabIndex={-1}>
            Floor
          </h1>
          {!loading && !loadError && (tables.data?.length ?? 0) > 0 && (
            <p className="muted floor-screen__summary" data-testid="floor-summary">
              {occupied.length} of {tables.data?.length} tables occupied · {guests}{" "}
              {guests === 1 ? "guest" : "guests"}
            </p>
          )}
          <div className="toolbar">
            {editing ? (
              <>
                <Button onClick={cancelEditing} disabled={save.isPending} data-testid="layout-cancel">
                  Cancel
                </Button>
                <Button variant="primary" onClick={saveLayout} busy={save.isPending} data-testid="layout-save">
                  Save layout
                </Button>
              </>
            ) : (
              <Button
                onClick={startEditing}
                disabled={loading || !!loadError || sections.length === 0}
                data-testid="layout-edit"
              >
                Edit layout
              </Button>
            )}
          </div>
        </div>

        {editing && (
          <Banner tone="info" compact data-testid="layout-editing">
            <span id={hintId}>
              Drag a table to its place, or focus it and use the arrow keys. Tables snap to the grid and cannot
              cover one another.
            </span>{" "}
            {moved > 0 && <strong>{moved === 1 ? "1 table moved." : `${moved} tables moved.`}</strong>}
          </Banner>
        )}
        {save.isError && <FormError data-testid="layout-error">Not saved: {describeError(save.error)}</FormError>}

        {!editing && (
          <ul className="floor-legend" aria-label="Table states">
            {(Object.keys(STATE_LABELS) as Table["state"][]).map((state) => (
              <li key={state} className="floor-legend__item" data-state={state}>
                {STATE_LABELS[state]}
              </li>
            ))}
          </ul>
        )}

        {loading ? (
          <Spinner />
        ) : loadError ? (
          <ErrorBanner title="The floor could not be loaded" error={loadError} />
        ) : sections.length === 0 ? (
          <EmptyState title="No tables yet" data-testid="floor-empty" action={<Link href="/tables">Add tables</Link>}>
            Tables and sections are set up under Tables; they show here once they exist.
          </EmptyState>
        ) : (
          sections.map((section) => (
            <FloorPlan
              key={section.id ?? "none"}
              section={section}
              positions={positions}
              editing={editing}
              now={now}
              currency={currency}
              selectedOrderId={orderId}
              hintId={hintId}
              onMove={moveTable}
              onAnnounce={setAnnouncement}
            />
          ))
        )}
        <p className="visually-hidden" aria-live="polite" data-testid="floor-announcement">
          {announcement}
        </p>
      </section>
      {orderId !== undefined && !editing && <OrderDetail key={orderId} orderId={orderId} now={now} />}
    </div>
  );
}
