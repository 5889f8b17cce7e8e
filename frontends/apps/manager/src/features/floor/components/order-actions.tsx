// What a manager does to a live order, as a row of buttons under its header, each opening a sheet: hand it
// to another member of staff, print its bill or receipt, or cancel it (with a reason). Each sheet shows the
// appliance's refusal in its own words and stays open until the request is answered.
import type { Order } from "@tavolo/api";
import { Button, FormError, Sheet } from "@tavolo/ui";
import { useId, useRef, useState, type FormEvent } from "react";
import { DialogFooter } from "../../../shared/dialog-footer";
import { describeError } from "../../../shared/errors";
import { useAllStaff, useCancelOrder, usePrintBill, usePrinters, useReassign } from "../api/order-api";
import { ReasonSheet } from "./reason-sheet";

type Open = "reassign" | "print" | "cancel" | null;

interface SheetProps {
  order: Order;
  onClose: () => void;
  onDone: (message: string) => void;
}

function ReassignSheet({ order, onClose, onDone }: SheetProps) {
  const ids = useId();
  const selectRef = useRef<HTMLSelectElement>(null);
  const staff = useAllStaff();
  const reassign = useReassign(order.id);
  const [waiterId, setWaiterId] = useState(order.waiter_id);
  const active = (staff.data ?? []).filter((person) => person.is_active);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (waiterId === order.waiter_id) return;
    reassign.mutate({ waiterId }, { onSuccess: (updated) => onDone(`Now served by ${updated.waiter_name}.`) });
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={`Reassign ${order.table_label}`}
      dismissible={!reassign.isPending}
      initialFocus={selectRef}
      data-testid="reassign-sheet"
      footer={
        <div className="toolbar">
          <DialogFooter
            formId={`${ids}-form`}
            label="Reassign"
            busy={reassign.isPending}
            disabled={waiterId === order.waiter_id}
            onClose={onClose}
            testId="reassign-submit"
          />
        </div>
      }
    >
      <form id={`${ids}-form`} className="dialog-form" onSubmit={submit}>
        <p>
          {order.waiter_name} serves it now. The new waiter sees it on their phone at once; it leaves{" "}
          {order.waiter_name}'s.
        </p>
        <div className="field">
          <label className="field__label" htmlFor={`${ids}-waiter`}>
            Waiter
          </label>
          <select
            ref={selectRef}
            id={`${ids}-waiter`}
            value={waiterId}
            disabled={staff.isPending || reassign.isPending}
            data-testid="reassign-waiter"
            onChange={(event) => {
              setWaiterId(Number(event.target.value));
              reassign.reset();
            }}
          >
            {!active.some((person) => person.id === order.waiter_id) && (
              <option value={order.waiter_id}>{order.waiter_name}</option>
            )}
            {active.map((person) => (
              <option key={person.id} value={person.id}>
                {person.display_name}
                {person.role === "manager" ? " (manager)" : ""}
              </option>
            ))}
          </select>
        </div>
        {staff.error && <FormError>Staff could not be loaded: {describeError(staff.error)}</FormError>}
        {reassign.error && <FormError data-testid="reassign-error">{describeError(reassign.error)}</FormError>}
      </form>
    </Sheet>
  );
}

function PrintSheet({ order, onClose, onDone }: SheetProps) {
  const ids = useId();
  const printers = usePrinters();
  const print = usePrintBill(order.id);
  const [chosen, setChosen] = useState<number | null>(null);
  const [kind, setKind] = useState<"bill" | "receipt">("bill");
  const usable = (printers.data ?? []).filter((printer) => printer.is_active);
  const printerId = chosen ?? usable[0]?.id ?? null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (printerId === null) return;
    print.mutate(
      { printerId, kind },
      {
        onSuccess: () => {
          const name = usable.find((printer) => printer.id === printerId)?.name ?? "the printer";
          onDone(`${kind === "bill" ? "Bill" : "Receipt"} sent to ${name}.`);
        },
      },
    );
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={`Print for ${order.table_label}`}
      dismissible={!print.isPending}
      data-testid="print-sheet"
      footer={
        <div className="toolbar">
          <DialogFooter
            formId={`${ids}-form`}
            label="Print"
            busy={print.isPending}
            disabled={printerId === null}
            onClose={onClose}
            testId="print-submit"
          />
        </div>
      }
    >
      <form id={`${ids}-form`} className="dialog-form" onSubmit={submit}>
        {printers.isSuccess && usable.length === 0 ? (
          <p className="muted">No active printer. Add one under Printers &amp; screens.</p>
        ) : (
          <div className="form-grid">
            <div className="field">
              <label className="field__label" htmlFor={`${ids}-printer`}>
                Printer
              </label>
              <select
                id={`${ids}-printer`}
                value={printerId ?? ""}
                disabled={printers.isPending || print.isPending}
                onChange={(event) => setChosen(Number(event.target.value))}
              >
                {usable.map((printer) => (
                  <option key={printer.id} value={printer.id}>
                    {printer.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label className="field__label" htmlFor={`${ids}-kind`}>
                What
              </label>
              <select
                id={`${ids}-kind`}
                value={kind}
                disabled={print.isPending}
                onChange={(event) => setKind(event.target.value === "receipt" ? "receipt" : "bill")}
              >
                <option value="bill">Bill (for the guests to check)</option>
                <option value="receipt">Receipt</option>
              </select>
            </div>
          </div>
        )}
        {printers.error && <FormError>Printers could not be loaded: {describeError(printers.error)}</FormError>}
        {print.error && <FormError>{describeError(print.error)}</FormError>}
      </form>
    </Sheet>
  );
}

export function OrderActions({ order }: { order: Order }) {
  const cancel = useCancelOrder(order.id);
  const [open, setOpen] = useState<Open>(null);
  const [done, setDone] = useState<string | null>(null);
  const close = () => setOpen(null);
  const finish = (message: string) => {
    setOpen(null);
    setDone(message);
  };
  const start = (which: Open) => {
    setDone(null);
    setOpen(which);
  };
  // The appliance refuses it (ORDER_HAS_PAYMENTS): the button says so before the manager tries.
  const hasPayments = order.payments.length > 0;

  return (
    <div className="order-actions">
      <div className="toolbar" role="group" aria-label="Order actions">
        <Button onClick={() => start("reassign")} data-testid="reassign-open">
          Reassign…
        </Button>
        <Button onClick={() => start("print")} data-testid="print-open">
          Print bill…
        </Button>
        <Button
          variant="danger"
          disabled={hasPayments}
          aria-describedby={hasPayments ? "order-cancel-blocked" : undefined}
          onClick={() => {
            cancel.reset();
            start("cancel");
          }}
          data-testid="cancel-order"
        >
          Cancel order…
        </Button>
      </div>
      {hasPayments && (
        <p id="order-cancel-blocked" className="muted">
          An order with payments cannot be cancelled; cancel its unpaid items instead.
        </p>
      )}
      {done && (
        <p role="status" className="muted" data-testid="order-action-done">
          {done}
        </p>
      )}
      {open === "reassign" && <ReassignSheet order={order} onClose={close} onDone={finish} />}
      {open === "print" && <PrintSheet order={order} onClose={close} onDone={finish} />}
      {open === "cancel" && (
        <ReasonSheet
          open
          title={`Cancel ${order.table_label}'s order?`}
          confirmLabel="Cancel the order"
          busy={cancel.isPending}
          error={cancel.error ? describeError(cancel.error) : null}
          onClose={close}
          onConfirm={(reason) => cancel.mutate({ reason }, { onSuccess: () => finish("Order cancelled.") })}
          data-testid="cancel-order-sheet"
        >
          Every item is cancelled and the table is freed; items the kitchen already has get a void ticket. This
          cannot be undone.
        </ReasonSheet>
      )}
    </div>
  );
}
