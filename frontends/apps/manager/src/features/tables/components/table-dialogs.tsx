import { Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { DialogFooter } from "../../../shared/dialog-footer";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import {
  useCreateBatch,
  useCreateSection,
  useCreateTable,
  useUpdateSection,
  useUpdateTable,
  type Section,
  type Table,
  type TableUpdate,
} from "../api/tables-api";

// The appliance's bounds (tables/schemas.py).
const MAX_NUMBER = 9999;
const MAX_SEATS = 50;
const MAX_BATCH = 200;

/** A whole number typed in a field, or null when it is not one within [min, max]. */
export function parseWhole(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}

/** The labels a batch would create, for the preview under the form ("T1, T2 … T6"). */
export function batchLabels(prefix: string, start: number, count: number): string {
  if (count <= 3) return Array.from({ length: count }, (_, i) => `${prefix}${start + i}`).join(", ");
  return `${prefix}${start}, ${prefix}${start + 1} … ${prefix}${start + count - 1}`;
}

function SectionSelect({
  sections,
  value,
  onChange,
  testId,
}: {
  sections: Section[];
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <Field label="Section">
      {(control) => (
        <select {...control} data-testid={testId} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">No section</option>
          {sections.map((section) => (
            <option key={section.id} value={section.id}>
              {section.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Add one table, or edit one (number, name, seats, section). */
export function TableDialog({
  table,
  sections,
  defaultSectionId,
  onClose,
}: {
  table?: Table;
  sections: Section[];
  defaultSectionId?: number | null;
  onClose: () => void;
}) {
  const creating = table === undefined;
  const [number, setNumber] = useState(table ? String(table.number) : "");
  const [label, setLabel] = useState(table?.label ?? "");
  const [seats, setSeats] = useState(String(table?.seats ?? 4));
  const [sectionId, setSectionId] = useState(String(table?.group_id ?? defaultSectionId ?? ""));
  const [problems, setProblems] = useState<{ number?: string; seats?: string }>({});
  const firstRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const create = useCreateTable();
  const update = useUpdateTable();
  const save = creating ? create : update;

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsedNumber = parseWhole(number, 1, MAX_NUMBER);
    const parsedSeats = parseWhole(seats, 0, MAX_SEATS);
    const found: typeof problems = {};
    if (parsedNumber === null) found.number = `Enter a table number from 1 to ${MAX_NUMBER}.`;
    if (parsedSeats === null) found.seats = `Enter the seats, 0 to ${MAX_SEATS}.`;
    if (parsedNumber === null || parsedSeats === null) {
      setProblems(found);
      return;
    }
    const groupId = sectionId === "" ? null : Number(sectionId);
    const name = label.trim();
    if (creating) {
      create.mutate(
        // The floor screen's plan editor places it; until then it sits at the plan's origin.
        { number: parsedNumber, label: name || null, seats: parsedSeats, group_id: groupId, pos_x: 0, pos_y: 0 },
        { onSuccess: onClose },
      );
      return;
    }
    const changes: TableUpdate = {};
    if (parsedNumber !== table.number) changes.number = parsedNumber;
    if (name && name !== table.label) changes.label = name;
    if (parsedSeats !== table.seats) changes.seats = parsedSeats;
    if (groupId !== table.group_id) changes.group_id = groupId;
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    update.mutate({ id: table.id, changes }, { onSuccess: onClose });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={creating ? "Add a table" : `Edit ${table.label}`}
      dismissible={!save.isPending}
      initialFocus={firstRef}
      data-testid="table-dialog"
      footer={
        <DialogFooter
          formId={formId}
          busy={save.isPending}
          label={creating ? "Add table" : "Save changes"}
          onClose={onClose}
          testId="dialog-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label="Number" hint="Unique; waiters find tables by it." error={problems.number}>
            {(control) => (
              <input
                {...control}
                ref={firstRef}
                data-testid="table-number"
                inputMode="numeric"
                value={number}
                onChange={(event) => {
                  setNumber(event.target.value);
                  setProblems((previous) => ({ ...previous, number: undefined }));
                }}
              />
            )}
          </Field>
          <Field label="Name" hint={creating ? 'Empty: "T" and the number.' : "As shown on the floor and tickets."}>
            {(control) => (
              <input
                {...control}
                data-testid="table-label"
                maxLength={40}
                autoComplete="off"
                value={label}
                onChange={(event) => setLabel(event.target.value)}
              />
            )}
          </Field>
          <Field label="Seats" error={problems.seats}>
            {(control) => (
              <input
                {...control}
                data-testid="table-seats"
                inputMode="numeric"
                value={seats}
                onChange={(event) => {
                  setSeats(event.target.value);
                  setProblems((previous) => ({ ...previous, seats: undefined }));
                }}
              />
            )}
          </Field>
          <SectionSelect sections={sections} value={sectionId} onChange={setSectionId} testId="table-section" />
        </div>
        {save.isError && (
          <ErrorBanner
            title={creating ? "Table not added" : "Table not saved"}
            error={save.error}
            testId="dialog-error"
          />
        )}
      </form>
    </Sheet>
  );
}

/** Many tables at once, numbered start..start+count-1 and named prefix+number; all or none. */
export function BatchDialog({
  sections,
  nextNumber,
  defaultSectionId,
  onClose,
}: {
  sections: Section[];
  nextNumber: number;
  defaultSectionId?: number | null;
  onClose: () => void;
}) {
  const [prefix, setPrefix] = useState("T");
  const [count, setCount] = useState("6");
  const [start, setStart] = useState(String(Math.min(nextNumber, MAX_NUMBER)));
  const [seats, setSeats] = useState("4");
  const [sectionId, setSectionId] = useState(String(defaultSectionId ?? ""));
  const [tried, setTried] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const create = useCreateBatch();

  const parsedCount = parseWhole(count, 1, MAX_BATCH);
  const parsedStart = parseWhole(start, 1, MAX_NUMBER);
  const parsedSeats = parseWhole(seats, 0, MAX_SEATS);
  const fits = parsedCount !== null && parsedStart !== null && parsedStart + parsedCount - 1 <= MAX_NUMBER;
  const problems = {
    count: parsedCount === null ? `Enter how many tables, 1 to ${MAX_BATCH}.` : undefined,
    start:
      parsedStart === null
        ? `Enter the first number, 1 to ${MAX_NUMBER}.`
        : !fits && parsedCount !== null
          ? `The last number would pass ${MAX_NUMBER}.`
          : undefined,
    seats: parsedSeats === null ? `Enter the seats, 0 to ${MAX_SEATS}.` : undefined,
  };
  const valid = fits && parsedSeats !== null;
  const preview = valid ? batchLabels(prefix.trim(), parsedStart, parsedCount) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (!valid) return;
    create.mutate(
      {
        prefix: prefix.trim(),
        count: parsedCount,
        start: parsedStart,
        seats: parsedSeats,
        group_id: sectionId === "" ? null : Number(sectionId),
      },
      { onSuccess: onClose },
    );
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title="Add several tables"
      dismissible={!create.isPending}
      initialFocus={firstRef}
      data-testid="batch-dialog"
      footer={
        <DialogFooter
          formId={formId}
          busy={create.isPending}
          label={parsedCount ? `Add ${parsedCount} ${parsedCount === 1 ? "table" : "tables"}` : "Add tables"}
          onClose={onClose}
          testId="dialog-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label="Name prefix" hint='"T" names them T1, T2…'>
            {(control) => (
              <input
                {...control}
                ref={firstRef}
                data-testid="batch-prefix"
                maxLength={30}
                autoComplete="off"
                value={prefix}
                onChange={(event) => setPrefix(event.target.value)}
              />
            )}
          </Field>
          <Field label="How many" error={tried ? problems.count : undefined}>
            {(control) => (
              <input
                {...control}
                data-testid="batch-count"
                inputMode="numeric"
                value={count}
                onChange={(event) => setCount(event.target.value)}
              />
            )}
          </Field>
          <Field label="First number" error={tried ? problems.start : undefined}>
            {(control) => (
              <input
                {...control}
                data-testid="batch-start"
                inputMode="numeric"
                value={start}
                onChange={(event) => setStart(event.target.value)}
              />
            )}
          </Field>
          <Field label="Seats each" error={tried ? problems.seats : undefined}>
            {(control) => (
              <input
                {...control}
                data-testid="batch-seats"
                inputMode="numeric"
                value={seats}
                onChange={(event) => setSeats(event.target.value)}
              />
            )}
          </Field>
          <SectionSelect sections={sections} value={sectionId} onChange={setSectionId} testId="batch-section" />
        </div>
        {preview && (
          <p className="muted" data-testid="batch-preview">
            Creates {preview}.
          </p>
        )}
        {create.isError && (
          <ErrorBanner title="No tables added" error={create.error} testId="dialog-error" />
        )}
      </form>
    </Sheet>
  );
}

/** Add or rename a section; the order number sorts sections on the floor. */
export function SectionDialog({ section, onClose }: { section?: Section; onClose: () => void }) {
  const creating = section === undefined;
  const [name, setName] = useState(section?.name ?? "");
  const [order, setOrder] = useState(String(section?.sort_order ?? 0));
  const [problems, setProblems] = useState<{ name?: string; order?: string }>({});
  const firstRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const create = useCreateSection();
  const update = useUpdateSection();
  const save = creating ? create : update;

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    const sortOrder = /^-?[0-9]+$/.test(order.trim()) ? Number(order.trim()) : null;
    const found: typeof problems = {};
    if (!trimmed) found.name = "Enter the section's name.";
    if (sortOrder === null || Math.abs(sortOrder) > 100_000) found.order = "Enter a whole number.";
    if (!trimmed || sortOrder === null || found.order) {
      setProblems(found);
      return;
    }
    if (creating) {
      create.mutate({ name: trimmed, sort_order: sortOrder }, { onSuccess: onClose });
      return;
    }
    const changes: { name?: string; sort_order?: number } = {};
    if (trimmed !== section.name) changes.name = trimmed;
    if (sortOrder !== section.sort_order) changes.sort_order = sortOrder;
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    update.mutate({ id: section.id, changes }, { onSuccess: onClose });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={creating ? "Add a section" : `Edit ${section.name}`}
      dismissible={!save.isPending}
      initialFocus={firstRef}
      data-testid="section-dialog"
      footer={
        <DialogFooter
          formId={formId}
          busy={save.isPending}
          label={creating ? "Add section" : "Save changes"}
          onClose={onClose}
          testId="dialog-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <Field label="Name" hint="Inside, Terrace, Bar…" error={problems.name}>
          {(control) => (
            <input
              {...control}
              ref={firstRef}
              data-testid="section-name"
              maxLength={80}
              autoComplete="off"
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                setProblems((previous) => ({ ...previous, name: undefined }));
              }}
            />
          )}
        </Field>
        <Field label="Order" hint="Lower numbers come first." error={problems.order}>
          {(control) => (
            <input
              {...control}
              data-testid="section-order"
              inputMode="numeric"
              value={order}
              onChange={(event) => {
                setOrder(event.target.value);
                setProblems((previous) => ({ ...previous, order: undefined }));
              }}
            />
          )}
        </Field>
        {save.isError && (
          <ErrorBanner
            title={creating ? "Section not added" : "Section not saved"}
            error={save.error}
            testId="dialog-error"
          />
        )}
      </form>
    </Sheet>
  );
}
