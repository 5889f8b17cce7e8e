// Tables and sections: the floor's structure (where tables sit on the plan is the floor screen's editor).
// Deactivated tables stay for history and can come back; a table being served cannot be deactivated.
import { Button, EmptyState, Spinner } from "@tavolo/ui";
import { useState } from "react";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import {
  useAllTables,
  useDeactivateTable,
  useDeleteSection,
  useSections,
  useUpdateTable,
  type Section,
  type Table,
} from "../api/tables-api";
import { QrCardsPage } from "./qr-cards";
import { BatchDialog, SectionDialog, TableDialog } from "./table-dialogs";
import { TableQrDialog } from "./table-qr-dialog";
import "./tables.css";

type Dialog =
  | { kind: "section"; section?: Section }
  | { kind: "delete-section"; section: Section }
  | { kind: "table"; table?: Table; sectionId?: number | null }
  | { kind: "batch"; sectionId?: number | null }
  | { kind: "deactivate"; table: Table }
  | { kind: "qr"; table: Table }
  | { kind: "qr-cards" }
  | null;

const STATE_LABELS: Record<Table["state"], string> = {
  free: "Free",
  open: "Open order",
  partially_paid: "Partly paid",
  paid: "Paid",
};

function TableRows({
  tables,
  onEdit,
  onQr,
  onDeactivate,
  onReactivate,
  reactivating,
}: {
  tables: Table[];
  onEdit: (table: Table) => void;
  onQr: (table: Table) => void;
  onDeactivate: (table: Table) => void;
  onReactivate: (table: Table) => void;
  reactivating: number | null;
}) {
  return (
    <DataTable
      columns={[
        { label: "Number", num: true },
        "Name",
        { label: "Seats", num: true },
        "State",
        { label: "Actions", hidden: true },
      ]}
    >
      {tables.map((table) => (
        <tr
          key={table.id}
          data-testid={`table-row-${table.number}`}
          className={table.is_active ? undefined : "tables-row--inactive"}
        >
          <td className="num">{table.number}</td>
          <td>
            <strong>{table.label}</strong>
          </td>
          <td className="num">{table.seats}</td>
          <td>
            {!table.is_active ? (
              <span className="badge">Deactivated</span>
            ) : table.state === "free" ? (
              <span className="badge badge--ok">Free</span>
            ) : (
              <span className="badge badge--warn">
                {STATE_LABELS[table.state]}
                {table.waiter_name ? ` · ${table.waiter_name}` : ""}
              </span>
            )}
          </td>
          <td>
            <div className="row-actions">
              {table.is_active ? (
                <>
                  <Button onClick={() => onEdit(table)} data-testid="table-edit" aria-label={`Edit ${table.label}`}>
                    Edit
                  </Button>
                  <Button onClick={() => onQr(table)} data-testid="table-qr" aria-label={`QR code of ${table.label}`}>
                    QR code
                  </Button>
                  <Button
                    variant="ghost"
                    onClick={() => onDeactivate(table)}
                    data-testid="table-deactivate"
                    aria-label={`Deactivate ${table.label}`}
                  >
                    Deactivate
                  </Button>
                </>
              ) : (
                <Button
                  busy={reactivating === table.id}
                  onClick={() => onReactivate(table)}
                  data-testid="table-reactivate"
                  aria-label={`Reactivate ${table.label}`}
                >
                  Reactivate
                </Button>
              )}
            </div>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function TablesScreen() {
  const tables = useAllTables();
  const sections = useSections();
  const [showInactive, setShowInactive] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const deactivate = useDeactivateTable();
  const deleteSection = useDeleteSection();
  const reactivate = useUpdateTable();

  const allTables = tables.data ?? [];
  const allSections = [...(sections.data ?? [])].sort(
    (a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name),
  );
  const known = new Set(allSections.map((section) => section.id));
  const visible = allTables.filter((table) => showInactive || table.is_active).sort((a, b) => a.number - b.number);
  const inactiveCount = allTables.filter((table) => !table.is_active).length;
  const nextNumber = allTables.reduce((max, table) => Math.max(max, table.number), 0) + 1;
  const groups: { section: Section | null; tables: Table[] }[] = [
    ...allSections.map((section) => ({ section, tables: visible.filter((t) => t.group_id === section.id) })),
    { section: null, tables: visible.filter((t) => t.group_id === null || !known.has(t.group_id)) },
  ];

  function closeDialog() {
    deactivate.reset();
    deleteSection.reset();
    setDialog(null);
  }

  const loading = tables.isPending || sections.isPending;
  const loadError = tables.error ?? sections.error;

  return (
    <section className="page" aria-labelledby="tables-title">
      <div className="page-head">
        <h1 id="tables-title" tabIndex={-1}>
          Tables &amp; sections
        </h1>
        <div className="toolbar">
          <Button onClick={() => setDialog({ kind: "section" })} data-testid="section-add">
            Add section
          </Button>
          <Button onClick={() => setDialog({ kind: "table" })} data-testid="table-add">
            Add table
          </Button>
          <Button variant="primary" onClick={() => setDialog({ kind: "batch" })} data-testid="batch-add">
            Add several tables
          </Button>
          <Button onClick={() => setDialog({ kind: "qr-cards" })} data-testid="qr-cards-open">
            Print QR cards
          </Button>
        </div>
      </div>
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            data-testid="tables-show-inactive"
            checked={showInactive}
            onChange={(event) => setShowInactive(event.target.checked)}
          />
          Show deactivated tables ({inactiveCount})
        </label>
      </div>
      {reactivate.isError && (
        <ErrorBanner title="Not reactivated" error={reactivate.error} testId="tables-row-error" />
      )}
      {loading ? (
        <Spinner label="Loading tables" />
      ) : loadError ? (
        <ErrorBanner title="The tables could not be loaded" error={loadError} />
      ) : allTables.length === 0 && allSections.length === 0 ? (
        <div className="panel">
          <EmptyState
            title="No tables yet"
            action={
              <Button variant="primary" onClick={() => setDialog({ kind: "batch" })}>
                Add several tables
              </Button>
            }
          >
            Add a section for each part of the floor (Inside, Terrace…), then its tables, several at once.
          </EmptyState>
        </div>
      ) : (
        groups
          .filter(({ section, tables: rows }) => section !== null || rows.length > 0)
          .map(({ section, tables: rows }) => (
            <section
              key={section?.id ?? "none"}
              className="panel tables-section"
              aria-label={section?.name ?? "Without a section"}
              data-testid={section ? `section-${section.id}` : "section-none"}
            >
              <div className="page-head">
                <h2 className="tables-section__title">
                  {section?.name ?? "Without a section"}{" "}
                  <span className="muted tables-section__count">
                    {rows.length} {rows.length === 1 ? "table" : "tables"}
                  </span>
                </h2>
                {section && (
                  <div className="toolbar">
                    <Button
                      variant="ghost"
                      onClick={() => setDialog({ kind: "table", sectionId: section.id })}
                      aria-label={`Add a table to ${section.name}`}
                    >
                      Add table
                    </Button>
                    <Button
                      variant="ghost"
                      onClick={() => setDialog({ kind: "batch", sectionId: section.id })}
                      aria-label={`Add several tables to ${section.name}`}
                    >
                      Add several
                    </Button>
                    <Button
                      onClick={() => setDialog({ kind: "section", section })}
                      data-testid="section-edit"
                      aria-label={`Edit section ${section.name}`}
                    >
                      Edit
                    </Button>
                    <Button
                      variant="ghost"
                      onClick={() => setDialog({ kind: "delete-section", section })}
                      data-testid="section-delete"
                      aria-label={`Delete section ${section.name}`}
                    >
                      Delete
                    </Button>
                  </div>
                )}
              </div>
              {rows.length === 0 ? (
                <p className="muted">No tables in this section.</p>
              ) : (
                <TableRows
                  tables={rows}
                  onEdit={(table) => setDialog({ kind: "table", table })}
                  onQr={(table) => setDialog({ kind: "qr", table })}
                  onDeactivate={(table) => setDialog({ kind: "deactivate", table })}
                  onReactivate={(table) => reactivate.mutate({ id: table.id, changes: { is_active: true } })}
                  reactivating={reactivate.isPending ? (reactivate.variables?.id ?? null) : null}
                />
              )}
            </section>
          ))
      )}
      {dialog?.kind === "section" && <SectionDialog section={dialog.section} onClose={closeDialog} />}
      {dialog?.kind === "qr" && <TableQrDialog table={dialog.table} onClose={closeDialog} />}
      {dialog?.kind === "qr-cards" && <QrCardsPage onClose={closeDialog} />}
      {dialog?.kind === "table" && (
        <TableDialog
          table={dialog.table}
          sections={allSections}
          defaultSectionId={dialog.sectionId}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === "batch" && (
        <BatchDialog
          sections={allSections}
          nextNumber={nextNumber}
          defaultSectionId={dialog.sectionId}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === "deactivate" && (
        <ConfirmDialog
          title={`Deactivate ${dialog.table.label}?`}
          confirmLabel="Deactivate"
          busy={deactivate.isPending}
          error={deactivate.error}
          onConfirm={() => deactivate.mutate(dialog.table.id, { onSuccess: closeDialog })}
          onClose={closeDialog}
        >
          <p>
            {dialog.table.label} leaves the floor and the waiters' phones. Its past orders stay; you can reactivate it
            later. A table with an open order cannot be deactivated.
          </p>
        </ConfirmDialog>
      )}
      {dialog?.kind === "delete-section" && (
        <ConfirmDialog
          title={`Delete section ${dialog.section.name}?`}
          confirmLabel="Delete section"
          busy={deleteSection.isPending}
          error={deleteSection.error}
          onConfirm={() => deleteSection.mutate(dialog.section.id, { onSuccess: closeDialog })}
          onClose={closeDialog}
        >
          <p>Its {dialog.section.table_count} tables stay, without a section.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
