import { Button, FormError, Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { formatPercentBp, parsePercentBp } from "../../../shared/decimal";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import {
  createCategory,
  deleteCategory,
  updateCategory,
  useMenuWrite,
  type Category,
  type CategoryCreate,
  type Printer,
} from "../api/menu-api";

const DEFAULT_COLOR = "#607d8b";

/** Create a category (category null) or edit one; rendered while open, so each opening starts afresh. */
export function CategoryDialog({
  category,
  printers,
  nextSortOrder,
  onClose,
  onSaved,
}: {
  category: Category | null;
  printers: Printer[];
  nextSortOrder: number;
  onClose: () => void;
  onSaved: (category: Category) => void;
}) {
  const [name, setName] = useState(category?.name ?? "");
  const [nameEn, setNameEn] = useState(category?.name_en ?? "");
  const [color, setColor] = useState(category?.color ?? DEFAULT_COLOR);
  const [active, setActive] = useState(category?.is_active ?? true);
  const [zoneId, setZoneId] = useState(category?.printer_zone_id ? String(category.printer_zone_id) : "");
  const [tax, setTax] = useState(category?.tax_rate_bp != null ? formatPercentBp(category.tax_rate_bp) : "");
  const [problem, setProblem] = useState<{ field: "name" | "tax"; message: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const taxRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const save = useMenuWrite((body: CategoryCreate) =>
    category ? updateCategory(category.id, body) : createCategory(body),
  );
  const remove = useMenuWrite(() => deleteCategory(category?.id ?? 0));

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setProblem({ field: "name", message: "Enter the category's name." });
      nameRef.current?.focus();
      return;
    }
    let taxBp: number | null = null;
    if (tax.trim() !== "") {
      taxBp = parsePercentBp(tax);
      if (taxBp === null) {
        setProblem({ field: "tax", message: "Enter a tax rate from 0 to 100 %, like 13 or 5.5, or leave it empty." });
        taxRef.current?.focus();
        return;
      }
    }
    setProblem(null);
    const body: CategoryCreate = {
      name: trimmed,
      name_en: nameEn.trim() || null,
      color,
      is_active: active,
      printer_zone_id: zoneId ? Number(zoneId) : null,
      tax_rate_bp: taxBp,
      sort_order: category?.sort_order ?? nextSortOrder,
    };
    save.mutate(body, { onSuccess: onSaved });
  }

  const busy = save.isPending || remove.isPending;
  return (
    <Sheet
      open
      onClose={onClose}
      title={category ? `Edit ${category.name}` : "New category"}
      dismissible={!busy}
      initialFocus={nameRef}
      data-testid="category-dialog"
      footer={
        <>
          {category && (
            <Button
              variant="danger"
              className="menu-footer__left"
              onClick={() => setConfirmDelete(true)}
              disabled={busy}
              data-testid="category-delete"
            >
              Delete category
            </Button>
          )}
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" busy={save.isPending} data-testid="category-save">
            {category ? "Save changes" : "Add category"}
          </Button>
        </>
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <Field label="Name" error={problem?.field === "name" ? problem.message : undefined}>
          {(control) => (
            <input
              {...control}
              ref={nameRef}
              maxLength={120}
              autoComplete="off"
              value={name}
              onChange={(event) => setName(event.target.value)}
              data-testid="category-name"
            />
          )}
        </Field>
        <Field label="English name" hint="Optional: shown under the name for guests and staff who read English.">
          {(control) => (
            <input
              {...control}
              maxLength={120}
              autoComplete="off"
              value={nameEn}
              onChange={(e) => setNameEn(e.target.value)}
            />
          )}
        </Field>
        <div className="form-grid">
          <Field label="Colour" hint="The tab colour on the waiters' phones.">
            {(control) => (
              <input
                {...control}
                type="color"
                className="menu-color"
                value={color}
                onChange={(e) => setColor(e.target.value)}
              />
            )}
          </Field>
          <Field label="Printer zone" hint="Where its products' tickets print, unless a product says otherwise.">
            {(control) => (
              <select
                {...control}
                value={zoneId}
                onChange={(e) => setZoneId(e.target.value)}
                data-testid="category-zone"
              >
                <option value="">No printer</option>
                {printers.map((printer) => (
                  <option key={printer.id} value={printer.id}>
                    {printer.name}
                    {printer.is_active ? "" : " (inactive)"}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Tax rate (%)"
            hint="Of its products, unless a product has its own; empty: 0 %."
            error={problem?.field === "tax" ? problem.message : undefined}
          >
            {(control) => (
              <input
                {...control}
                ref={taxRef}
                inputMode="decimal"
                autoComplete="off"
                value={tax}
                onChange={(e) => setTax(e.target.value)}
                data-testid="category-tax"
              />
            )}
          </Field>
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={active}
            onChange={(e) => setActive(e.target.checked)}
            data-testid="category-active"
          />
          Shown to waiters (active)
        </label>
        {save.isError && (
          <ErrorBanner title="The category was not saved" error={save.error} testId="category-error" />
        )}
        {problem && <FormError className="visually-hidden">{problem.message}</FormError>}
      </form>
      {confirmDelete && category && (
        <ConfirmDialog
          title={`Delete ${category.name}?`}
          confirmLabel="Delete category"
          cancelLabel="Keep it"
          busy={remove.isPending}
          error={remove.error}
          onClose={() => {
            remove.reset();
            setConfirmDelete(false);
          }}
          onConfirm={() => remove.mutate(undefined, { onSuccess: onClose })}
          testId="category-delete-dialog"
        >
          <p>
            Only an empty category can be deleted: move its products to another category or archive them first.
            Past orders keep their category.
          </p>
        </ConfirmDialog>
      )}
    </Sheet>
  );
}
