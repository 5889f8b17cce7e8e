// A stock take: type what is on the shelves for as many items as were counted, give the reason, review the
// differences, then save. Each item is set to its count; the differences go into the audit trail with the reason.
import { Banner, Button, EmptyState, Spinner } from "@tavolo/ui";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { DataTable } from "../../../shared/data-table";
import { ErrorBanner } from "../../../shared/error-banner";
import { Field } from "../../../shared/field";
import { recordCount, useInventoryWrite, useStockItems, type CountLine } from "../api/inventory-api";
import { reviewCount, type CountDifference, type CountReview } from "../model/count";
import { bigUnit, formatQuantity, parseQuantity } from "../model/units";
import { UnitInput } from "./parts";

function Difference({ delta, unit }: { delta: number; unit: CountDifference["unit"] }) {
  if (delta === 0) return <span className="muted">no change</span>;
  return (
    <span className={delta < 0 ? "inv-negative" : "inv-positive"}>
      {delta > 0 ? "+" : ""}
      {formatQuantity(delta, unit)}
    </span>
  );
}

export function CountPage() {
  const items = useStockItems();
  const [typed, setTyped] = useState<Map<number, string>>(() => new Map());
  const [reason, setReason] = useState("");
  const [reasonProblem, setReasonProblem] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const [review, setReview] = useState<CountReview | null>(null);
  const [problems, setProblems] = useState<Map<number, string>>(() => new Map());
  const [emptyProblem, setEmptyProblem] = useState(false);
  const [saved, setSaved] = useState<CountLine[] | null>(null);
  const save = useInventoryWrite(recordCount);
  const active = (items.data ?? []).filter((item) => item.is_active);
  const needle = filter.trim().toLowerCase();
  const shown = active.filter((item) => needle === "" || item.name.toLowerCase().includes(needle));

  function type(id: number, text: string) {
    setTyped((current) => new Map(current).set(id, text));
    setProblems((current) => {
      if (!current.has(id)) return current;
      const next = new Map(current);
      next.delete(id);
      return next;
    });
    setEmptyProblem(false);
    setSaved(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = reviewCount(active, typed);
    setProblems(found.problems);
    const noReason = reason.trim() === "";
    setReasonProblem(noReason ? "Say why you counted (weekly count, month end…): it goes into the audit trail." : null);
    setEmptyProblem(found.lines.length === 0 && found.problems.size === 0);
    if (found.problems.size > 0 || found.lines.length === 0 || noReason) return;
    save.reset();
    setReview(found);
  }

  function confirm() {
    if (!review) return;
    save.mutate(
      {
        reason: reason.trim(),
        lines: review.lines.map((line) => ({ stock_item_id: line.stock_item_id, counted: line.counted })),
      },
      {
        onSuccess: (lines) => {
          setSaved(lines);
          setReview(null);
          setTyped(new Map());
          setReason("");
        },
      },
    );
  }

  const changed = review?.lines.filter((line) => line.delta !== 0) ?? [];

  return (
    <>
      <form className="page" onSubmit={submit} noValidate data-testid="count-form">
        {saved && (
          <Banner tone="info" title="Count saved" data-testid="count-saved">
            {saved.length} item{saved.length === 1 ? "" : "s"} counted,{" "}
            {saved.filter((line) => line.delta !== 0).length} changed. The differences are in the audit trail.
          </Banner>
        )}
        <div className="toolbar inv-toolbar">
          <Field label="Reason" error={reasonProblem} className="inv-reason">
            {(control) => (
              <input
                {...control}
                maxLength={200}
                placeholder="Weekly count"
                value={reason}
                onChange={(event) => {
                  setReason(event.target.value);
                  setReasonProblem(null);
                }}
                data-testid="count-reason"
              />
            )}
          </Field>
          <label className="field inv-search">
            <span className="field__label">Find an item</span>
            <input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
          </label>
          <span className="inv-toolbar__end">
            <Button type="submit" variant="primary" data-testid="count-review">
              Review count
            </Button>
          </span>
        </div>
        {emptyProblem && (
          <p className="field__error" role="alert">
            Type what you counted for at least one item (blank: not counted).
          </p>
        )}
        <div className="panel">
          {items.isPending ? (
            <Spinner label="Loading stock" />
          ) : items.isError ? (
            <ErrorBanner title="The stock could not be loaded" error={items.error} />
          ) : active.length === 0 ? (
            <EmptyState title="No stock items yet">Add stock items on the Stock tab first.</EmptyState>
          ) : (
            <DataTable
              testId="count-table"
              columns={["Item", { label: "Expected", num: true }, "Counted", { label: "Difference", num: true }]}
            >
              {shown.map((item) => {
                const text = typed.get(item.id) ?? "";
                const parsed = text.trim() === "" ? null : parseQuantity(text, item.unit, { allowZero: true });
                const problem = problems.get(item.id);
                return (
                  <tr key={item.id} data-testid={`count-row-${item.id}`}>
                    <td>
                      <strong>{item.name}</strong>
                    </td>
                    <td className="num nowrap">{formatQuantity(item.on_hand, item.unit)}</td>
                    <td className="inv-count-cell">
                      <UnitInput
                        unit={bigUnit(item.unit)}
                        aria-label={`${item.name} counted`}
                        aria-invalid={problem ? true : undefined}
                        value={text}
                        onChange={(event) => type(item.id, event.target.value)}
                        testId={`count-input-${item.id}`}
                      />
                      {problem && (
                        <span className="field__error" role="alert">
                          {problem}
                        </span>
                      )}
                    </td>
                    <td className="num nowrap" data-testid="count-delta">
                      {parsed?.ok ? <Difference delta={parsed.value - item.on_hand} unit={item.unit} /> : ""}
                    </td>
                  </tr>
                );
              })}
            </DataTable>
          )}
        </div>
      </form>
      {review && (
        <ConfirmDialog
          title="Save this count?"
          confirmLabel={`Save count of ${review.lines.length} item${review.lines.length === 1 ? "" : "s"}`}
          busy={save.isPending}
          error={save.error}
          onConfirm={confirm}
          onClose={() => setReview(null)}
          testId="count-confirm"
        >
          <p>
            Reason: <strong>{reason.trim()}</strong>.{" "}
            {changed.length === 0
              ? "Every figure matches what was expected."
              : `${changed.length} item${changed.length === 1 ? "" : "s"} change${changed.length === 1 ? "s" : ""}.`}
          </p>
          <DataTable
            testId="count-differences"
            columns={[
              "Item",
              { label: "Expected", num: true },
              { label: "Counted", num: true },
              { label: "Difference", num: true },
            ]}
          >
            {review.lines.map((line) => (
              <tr key={line.stock_item_id} data-testid={`count-difference-${line.stock_item_id}`}>
                <td>{line.name}</td>
                <td className="num nowrap">{formatQuantity(line.previous, line.unit)}</td>
                <td className="num nowrap">{formatQuantity(line.counted, line.unit)}</td>
                <td className="num nowrap">
                  <Difference delta={line.delta} unit={line.unit} />
                </td>
              </tr>
            ))}
          </DataTable>
        </ConfirmDialog>
      )}
    </>
  );
}
