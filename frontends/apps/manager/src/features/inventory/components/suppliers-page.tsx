// Suppliers: who the stock comes from, with the email a purchase order is sent to. A supplier is deactivated
// rather than deleted (its deliveries and orders keep naming it).
import { Button, EmptyState, Sheet, Spinner } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { DataTable } from "../../../shared/data-table";
import { DialogFooter } from "../../../shared/dialog-footer";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import {
  createSupplier,
  updateSupplier,
  useInventoryWrite,
  useSuppliers,
  type Supplier,
  type SupplierUpdate,
} from "../api/inventory-api";

export function SuppliersPage() {
  const suppliers = useSuppliers();
  const [showInactive, setShowInactive] = useState(false);
  const [dialog, setDialog] = useState<{ supplier?: Supplier } | null>(null);
  const reactivate = useInventoryWrite(updateSupplier);
  const all = suppliers.data ?? [];
  const inactiveCount = all.filter((supplier) => !supplier.is_active).length;
  const shown = all.filter((supplier) => showInactive || supplier.is_active);

  return (
    <>
      <div className="toolbar inv-toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={showInactive}
            onChange={(event) => setShowInactive(event.target.checked)}
            data-testid="suppliers-show-inactive"
          />
          Show deactivated ({inactiveCount})
        </label>
        <span className="inv-toolbar__end">
          <Button variant="primary" onClick={() => setDialog({})} data-testid="supplier-add">
            Add supplier
          </Button>
        </span>
      </div>
      {reactivate.isError && <ErrorBanner title="Not reactivated" error={reactivate.error} />}
      <div className="panel">
        {suppliers.isPending ? (
          <Spinner label="Loading suppliers" />
        ) : suppliers.isError ? (
          <ErrorBanner title="The suppliers could not be loaded" error={suppliers.error} />
        ) : shown.length === 0 ? (
          <EmptyState title="No suppliers yet">
            Add who delivers your stock; give them an email to send purchase orders to.
          </EmptyState>
        ) : (
          <DataTable
            testId="suppliers-table"
            columns={["Name", "Email", "Phone", "Notes", { label: "Actions", hidden: true }]}
          >
            {shown.map((supplier) => (
              <tr key={supplier.id} data-testid={`supplier-row-${supplier.id}`}>
                <td>
                  <strong>{supplier.name}</strong>
                  {!supplier.is_active && <span className="badge inv-inline-badge">Deactivated</span>}
                </td>
                <td>{supplier.email ?? <span className="muted">—</span>}</td>
                <td className="nowrap">{supplier.phone ?? <span className="muted">—</span>}</td>
                <td className="muted">{supplier.notes}</td>
                <td>
                  <div className="row-actions">
                    {supplier.is_active ? (
                      <Button
                        onClick={() => setDialog({ supplier })}
                        aria-label={`Edit ${supplier.name}`}
                        data-testid="supplier-edit"
                      >
                        Edit
                      </Button>
                    ) : (
                      <Button
                        busy={reactivate.isPending && reactivate.variables?.id === supplier.id}
                        onClick={() => reactivate.mutate({ id: supplier.id, body: { is_active: true } })}
                        data-testid="supplier-reactivate"
                      >
                        Reactivate
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
      {dialog && <SupplierDialog supplier={dialog.supplier} onClose={() => setDialog(null)} />}
    </>
  );
}

// The appliance's rules (inventory/schemas.py), checked here first so they read in words.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^[0-9+()./ -]+$/;

interface Draft {
  name: string;
  email: string;
  phone: string;
  notes: string;
  isActive: boolean;
}

function SupplierDialog({ supplier, onClose }: { supplier?: Supplier; onClose: () => void }) {
  const creating = supplier === undefined;
  const [draft, setDraft] = useState<Draft>({
    name: supplier?.name ?? "",
    email: supplier?.email ?? "",
    phone: supplier?.phone ?? "",
    notes: supplier?.notes ?? "",
    isActive: supplier?.is_active ?? true,
  });
  const [problems, setProblems] = useState<Partial<Record<keyof Draft, string>>>({});
  const nameRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const create = useInventoryWrite(createSupplier);
  const update = useInventoryWrite(updateSupplier);
  const save = creating ? create : update;

  function set<K extends keyof Draft>(key: K, value: Draft[K]) {
    setDraft((previous) => ({ ...previous, [key]: value }));
    setProblems((previous) => ({ ...previous, [key]: undefined }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const name = draft.name.trim();
    const email = draft.email.trim();
    const phone = draft.phone.trim();
    const notes = draft.notes.trim();
    const found: typeof problems = {};
    if (!name) found.name = "Enter the supplier's name.";
    if (email && !EMAIL.test(email)) found.email = "Not an email address (name@example.com).";
    if (phone && !PHONE.test(phone)) found.phone = "Digits, spaces and + ( ) . / - only.";
    if (Object.keys(found).length > 0) {
      setProblems(found);
      return;
    }
    const values = { name, email: email || null, phone: phone || null, notes: notes || null };
    if (creating) {
      create.mutate({ ...values, is_active: true }, { onSuccess: onClose });
      return;
    }
    const changes: SupplierUpdate = {};
    if (values.name !== supplier.name) changes.name = values.name;
    if (values.email !== supplier.email) changes.email = values.email;
    if (values.phone !== supplier.phone) changes.phone = values.phone;
    if (values.notes !== supplier.notes) changes.notes = values.notes;
    if (draft.isActive !== supplier.is_active) changes.is_active = draft.isActive;
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    update.mutate({ id: supplier.id, body: changes }, { onSuccess: onClose });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={creating ? "Add a supplier" : `Edit ${supplier.name}`}
      dismissible={!save.isPending}
      initialFocus={nameRef}
      data-testid="supplier-dialog"
      footer={
        <DialogFooter
          formId={formId}
          label={creating ? "Add supplier" : "Save changes"}
          busy={save.isPending}
          onClose={onClose}
          testId="supplier-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label="Name" error={problems.name}>
            {(control) => (
              <input
                {...control}
                ref={nameRef}
                maxLength={120}
                value={draft.name}
                onChange={(event) => set("name", event.target.value)}
                data-testid="supplier-name"
              />
            )}
          </Field>
          <Field label="Email" hint="Purchase orders are sent here." error={problems.email}>
            {(control) => (
              <input
                {...control}
                type="email"
                maxLength={254}
                autoCapitalize="none"
                value={draft.email}
                onChange={(event) => set("email", event.target.value)}
                data-testid="supplier-email"
              />
            )}
          </Field>
          <Field label="Phone" error={problems.phone}>
            {(control) => (
              <input
                {...control}
                type="tel"
                maxLength={40}
                value={draft.phone}
                onChange={(event) => set("phone", event.target.value)}
                data-testid="supplier-phone"
              />
            )}
          </Field>
        </div>
        <Field label="Notes" hint="Delivery days, minimum order, account number…">
          {(control) => (
            <textarea
              {...control}
              rows={3}
              maxLength={2000}
              value={draft.notes}
              onChange={(event) => set("notes", event.target.value)}
              data-testid="supplier-notes"
            />
          )}
        </Field>
        {!creating && (
          <label className="check">
            <input
              type="checkbox"
              checked={draft.isActive}
              onChange={(event) => set("isActive", event.target.checked)}
              data-testid="supplier-active"
            />
            Active (a deactivated supplier leaves the pickers; its deliveries and orders keep its name)
          </label>
        )}
        {save.isError && (
          <ErrorBanner title={creating ? "Not added" : "Not saved"} error={save.error} testId="supplier-error" />
        )}
      </form>
    </Sheet>
  );
}
