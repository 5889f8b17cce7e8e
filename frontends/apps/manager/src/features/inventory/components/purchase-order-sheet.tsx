// One purchase order: a draft is edited here (supplier, note, lines), then sent (and emailed); a sent order is
// received when the goods come (what actually came, line by line). Any order can be printed or saved as CSV.
import { Banner, Button, FormError, formatMoney, Sheet } from "@tavolo/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { keys } from "../../../lib/query-keys";
import { useCurrency, useSiteInfo } from "../../../lib/site";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { DataTable } from "../../../shared/data-table";
import { currencyDigits } from "../../../shared/decimal";
import { DialogFooter } from "../../../shared/dialog-footer";
import { ErrorBanner } from "../../../shared/error-banner";
import { describeError } from "../../../shared/errors";
import { Field } from "../../../shared/field";
import { formatDateTime } from "../../../shared/format";
import { useStockItems, useSuppliers, type StockItem } from "../api/inventory-api";
import {
  cancelOrder,
  createOrder,
  downloadOrderCsv,
  printOrder,
  receiveOrder,
  sendOrder,
  updateOrder,
  type PurchaseOrder,
  type PurchaseOrderUpdate,
} from "../api/purchasing-api";
import { emptyLine, lineDraft, parseLines, type LineDraft, type LineProblems } from "../model/lines";
import { formatQuantity } from "../model/units";
import { LinesEditor } from "./lines-editor";
import { byId, formatUnitCost, SupplierOptions } from "./parts";
import { emailState, OrderStatusChip } from "./order-status";

function useOrderWrite<TVariables, TData>(write: (variables: TVariables) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.inventory }),
        queryClient.invalidateQueries({ queryKey: keys.products }),
      ]),
  });
}

interface Form {
  supplierId: string;
  note: string;
  lines: LineDraft[];
}

function formOf(order: PurchaseOrder | null, digits: number): Form {
  return {
    supplierId: order?.supplier_id == null ? "" : String(order.supplier_id),
    note: order?.note ?? "",
    lines: order
      ? order.lines.map((line) => lineDraft(line, line.unit, { currencyDigits: digits }))
      : [emptyLine()],
  };
}

type Sub = "send" | "receive" | "cancel" | null;

interface SendVariables {
  id: number;
  email: boolean;
  /** The draft's form to save first; null: send as it is. */
  body: PurchaseOrderUpdate | null;
}

export function PurchaseOrderSheet({
  order,
  onCreated,
  onClose,
}: {
  /** null: a new draft. */
  order: PurchaseOrder | null;
  onCreated: (order: PurchaseOrder) => void;
  onClose: () => void;
}) {
  const currency = useCurrency();
  const digits = currencyDigits(currency);
  const timeZone = useSiteInfo().data?.timezone;
  const items = useStockItems().data ?? [];
  const suppliers = useSuppliers().data ?? [];
  const [form, setForm] = useState<Form>(() => formOf(order, digits));
  const [problems, setProblems] = useState<Record<string, LineProblems>>({});
  const [pending, setPending] = useState<PurchaseOrderUpdate | null>(null);
  const [sub, setSub] = useState<Sub>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const formId = useId();
  const editable = order === null || order.status === "draft";
  const open = order !== null && (order.status === "draft" || order.status === "sent");

  const create = useOrderWrite(createOrder);
  const update = useOrderWrite(updateOrder);
  const cancel = useOrderWrite(cancelOrder);
  const print = useMutation({ mutationFn: printOrder });
  const csv = useMutation({ mutationFn: downloadOrderCsv });
  // Sending a draft saves what is on the form first: what goes to the supplier is what the manager sees.
  const send = useOrderWrite(async ({ id, email, body }: SendVariables) => {
    if (body) await updateOrder({ id, body });
    return sendOrder({ id, email });
  });
  const save = order === null ? create : update;

  /** The form as the appliance takes it, or null (problems shown). */
  function read(): PurchaseOrderUpdate | null {
    const parsed = parseLines(form.lines, byId(items), { withCost: true, currencyDigits: digits });
    setProblems(parsed.problems);
    if (Object.keys(parsed.problems).length > 0) return null;
    return {
      supplier_id: form.supplierId === "" ? null : Number(form.supplierId),
      note: form.note.trim() === "" ? null : form.note.trim(),
      lines: parsed.lines.map((line) => ({
        stock_item_id: line.stock_item_id,
        quantity: line.quantity,
        unit_cost: line.unit_cost ?? null,
      })),
    };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = read();
    if (!body) return;
    setNotice(null);
    if (order === null) {
      create.mutate(
        { supplier_id: body.supplier_id, note: body.note, lines: body.lines ?? [] },
        {
          onSuccess: (created) => {
            setNotice("Draft saved.");
            onCreated(created);
          },
        },
      );
    } else {
      update.mutate({ id: order.id, body }, { onSuccess: () => setNotice("Draft saved.") });
    }
  }

  function startSend() {
    if (!order) return;
    if (order.status === "draft") {
      const body = read();
      if (!body) return;
      setPending(body);
    } else {
      setPending(null);
    }
    send.reset();
    setSub("send");
  }

  // The supplier the order would go to: the one picked on the form while it is a draft.
  const formSupplier = form.supplierId === "" ? null : Number(form.supplierId);
  const supplierId = editable ? formSupplier : (order?.supplier_id ?? null);
  const supplier = suppliers.find((s) => s.id === supplierId);
  const busy = save.isPending || send.isPending || cancel.isPending;

  return (
    <Sheet
      open
      onClose={onClose}
      title={order ? `Purchase order ${order.number}` : "New purchase order"}
      dismissible={!busy}
      data-testid="po-sheet"
      footer={
        editable ? (
          <DialogFooter
            formId={formId}
            label={order ? "Save draft" : "Create draft"}
            busy={save.isPending}
            onClose={onClose}
            testId="po-save"
          />
        ) : (
          <Button onClick={onClose}>Close</Button>
        )
      }
    >
      <div className="dialog-form">
        {order && (
          <div className="inv-po-head">
            <OrderStatusChip status={order.status} />
            <span className="muted">Created {formatDateTime(order.created_at, timeZone)}</span>
            {order.sent_at && <span className="muted">Sent {formatDateTime(order.sent_at, timeZone)}</span>}
            {order.received_at && (
              <span className="muted">Received {formatDateTime(order.received_at, timeZone)}</span>
            )}
            <span className="muted" data-testid="po-email-state">
              {emailState(order)}
            </span>
          </div>
        )}
        {editable ? (
          <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
            <div className="form-grid">
              <Field label="Supplier" hint={supplier && (supplier.email ?? "No email: print it or send the CSV")}>
                {(control) => (
                  <select
                    {...control}
                    value={form.supplierId}
                    onChange={(event) => setForm({ ...form, supplierId: event.target.value })}
                    data-testid="po-supplier"
                  >
                    <SupplierOptions suppliers={suppliers} keep={order?.supplier_id} none="No supplier yet" />
                  </select>
                )}
              </Field>
              <Field label="Note (optional)">
                {(control) => (
                  <input
                    {...control}
                    maxLength={2000}
                    value={form.note}
                    onChange={(event) => setForm({ ...form, note: event.target.value })}
                    data-testid="po-note"
                  />
                )}
              </Field>
            </div>
            <LinesEditor
              lines={form.lines}
              onChange={(lines) => setForm({ ...form, lines })}
              items={items}
              withCost
              currency={currency}
              problems={problems}
              testId="po-line"
            />
            {save.isError && <ErrorBanner title="Not saved" error={save.error} testId="po-error" />}
          </form>
        ) : (
          order && <OrderLines order={order} items={items} currency={currency} />
        )}
        {order && editable && order.total_cost !== null && (
          <p className="muted">Saved total: {formatMoney(order.total_cost, currency)}</p>
        )}
        {order && (
          <div className="inv-actions inv-actions--start">
            {order.status === "draft" && (
              <Button variant="primary" onClick={startSend} data-testid="po-send">
                Send…
              </Button>
            )}
            {order.status === "sent" && order.supplier_email && (
              <Button onClick={startSend} data-testid="po-email-again">
                Email again
              </Button>
            )}
            {open && (
              <Button onClick={() => setSub("receive")} data-testid="po-receive">
                Receive…
              </Button>
            )}
            <Button
              busy={print.isPending}
              onClick={() =>
                print.mutate(order.id, { onSuccess: (job) => setNotice(`Printing on ${job.printer_name}.`) })
              }
              data-testid="po-print"
            >
              Print
            </Button>
            <Button
              busy={csv.isPending}
              onClick={() => csv.mutate(order, { onSuccess: (name) => setNotice(`Saved ${name}.`) })}
              data-testid="po-csv"
            >
              CSV
            </Button>
            {open && (
              <Button variant="ghost" onClick={() => setSub("cancel")} data-testid="po-cancel">
                Cancel order
              </Button>
            )}
          </div>
        )}
        {print.isError && <FormError>{describeError(print.error)}</FormError>}
        {csv.isError && <FormError>{describeError(csv.error)}</FormError>}
        {notice && (
          <p role="status" className="muted" data-testid="po-notice">
            {notice}
          </p>
        )}
      </div>
      {order && sub === "send" && (
        <Sheet
          open
          onClose={() => setSub(null)}
          title={order.status === "draft" ? `Send order ${order.number}?` : `Email order ${order.number} again?`}
          dismissible={!send.isPending}
          data-testid="po-send-dialog"
          footer={
            <>
              <Button onClick={() => setSub(null)} disabled={send.isPending}>
                Cancel
              </Button>
              <SendButtons
                order={order}
                email={supplier?.email ?? order.supplier_email}
                busy={send.isPending}
                onSend={(email) =>
                  send.mutate(
                    { id: order.id, email, body: pending },
                    {
                      onSuccess: (sent) => {
                        setSub(null);
                        setNotice(
                          email
                            ? `Sent; the email to ${sent.supplier_email ?? "the supplier"} is queued and goes ` +
                                "out as soon as the mail server answers."
                            : "Marked as sent.",
                        );
                      },
                    },
                  )
                }
              />
            </>
          }
        >
          <div className="dialog-form">
            <p>
              {order.status === "draft"
                ? `The order goes to ${supplier?.name ?? order.supplier_name ?? "its supplier"} and can no longer ` +
                  "be changed."
                : `Email it to ${order.supplier_email} once more.`}
            </p>
            {!(supplier?.email ?? order.supplier_email) && (
              <p className="muted">The supplier has no email address: print the order or send the CSV yourself.</p>
            )}
            {send.isError && <ErrorBanner title="Not sent" error={send.error} testId="po-send-error" />}
          </div>
        </Sheet>
      )}
      {order && sub === "receive" && (
        <ReceiveSheet
          order={order}
          items={items}
          onDone={(note) => {
            setSub(null);
            setNotice(note);
          }}
          onClose={() => setSub(null)}
        />
      )}
      {order && sub === "cancel" && (
        <ConfirmDialog
          title={`Cancel order ${order.number}?`}
          confirmLabel="Cancel order"
          cancelLabel="Keep it"
          busy={cancel.isPending}
          error={cancel.error}
          onConfirm={() => cancel.mutate(order.id, { onSuccess: () => setSub(null) })}
          onClose={() => setSub(null)}
          testId="po-cancel-dialog"
        >
          <p>The order stays in the list as cancelled; an email still waiting to go out is dropped.</p>
        </ConfirmDialog>
      )}
    </Sheet>
  );
}

function SendButtons({
  order,
  email,
  busy,
  onSend,
}: {
  order: PurchaseOrder;
  /** Where an email would go; null: the supplier has none (the order can only be marked sent). */
  email: string | null;
  busy: boolean;
  onSend: (email: boolean) => void;
}) {
  if (order.status === "sent") {
    return (
      <Button variant="primary" busy={busy} onClick={() => onSend(true)} data-testid="po-send-email">
        Email again
      </Button>
    );
  }
  return (
    <>
      <Button
        variant={email ? "secondary" : "primary"}
        busy={busy}
        onClick={() => onSend(false)}
        data-testid="po-send-only"
      >
        Mark as sent
      </Button>
      {email && (
        <Button variant="primary" busy={busy} onClick={() => onSend(true)} data-testid="po-send-email">
          Send and email
        </Button>
      )}
    </>
  );
}

function OrderLines({
  order,
  items,
  currency,
}: {
  order: PurchaseOrder;
  items: readonly StockItem[];
  currency: string;
}) {
  const known = byId(items);
  return (
    <DataTable
      testId="po-lines"
      columns={[
        "Item",
        { label: "Quantity", num: true },
        { label: "Unit cost", num: true },
        { label: "Cost", num: true },
      ]}
      footer={
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td className="num nowrap">{order.total_cost === null ? "—" : formatMoney(order.total_cost, currency)}</td>
        </tr>
      }
    >
      {order.lines.map((line) => (
        <tr key={line.stock_item_id}>
          <td>{known.get(line.stock_item_id)?.name ?? line.name}</td>
          <td className="num nowrap">{formatQuantity(line.quantity, line.unit)}</td>
          <td className="num nowrap">{formatUnitCost(line.unit_cost, line.unit, currency)}</td>
          <td className="num nowrap">{line.cost === null ? "—" : formatMoney(line.cost, currency)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** What actually came: the order's lines, each quantity editable (blank or 0: it did not come). */
function ReceiveSheet({
  order,
  items,
  onDone,
  onClose,
}: {
  order: PurchaseOrder;
  items: readonly StockItem[];
  onDone: (note: string) => void;
  onClose: () => void;
}) {
  const currency = useCurrency();
  const digits = currencyDigits(currency);
  const [lines, setLines] = useState<LineDraft[]>(() =>
    order.lines.map((line) => lineDraft(line, line.unit, { currencyDigits: digits })),
  );
  const [note, setNote] = useState("");
  const [problems, setProblems] = useState<Record<string, LineProblems>>({});
  const [nothing, setNothing] = useState(false);
  const formId = useId();
  const receive = useOrderWrite(receiveOrder);

  function submit(event: FormEvent) {
    event.preventDefault();
    const came = lines.filter((line) => !/^\s*0*([.,]0*)?\s*[a-z]*\s*$/i.test(line.quantity));
    const parsed = parseLines(came, byId(items), { withCost: true, currencyDigits: digits });
    setProblems(parsed.problems);
    setNothing(came.length === 0);
    if (came.length === 0 || Object.keys(parsed.problems).length > 0) return;
    receive.mutate(
      {
        id: order.id,
        body: {
          note: note.trim() === "" ? null : note.trim(),
          lines: parsed.lines.map((line) => ({
            stock_item_id: line.stock_item_id,
            quantity: line.quantity,
            unit_cost: line.unit_cost ?? null,
          })),
        },
      },
      { onSuccess: () => onDone("Received: the stock is in.") },
    );
  }

  return (
    <Sheet
      open
      onClose={onClose}
      title={`Receive order ${order.number}`}
      dismissible={!receive.isPending}
      data-testid="po-receive-dialog"
      footer={
        <DialogFooter
          formId={formId}
          label="Receive"
          busy={receive.isPending}
          onClose={onClose}
          testId="po-receive-save"
        />
      }
    >
      <form id={formId} className="dialog-form" onSubmit={submit} noValidate>
        <p className="muted">Change a quantity to what actually came; leave it blank (or 0) if it did not come.</p>
        <LinesEditor
          lines={lines}
          onChange={setLines}
          items={items}
          withCost
          currency={currency}
          problems={problems}
          testId="po-receive-line"
        />
        <Field label="Note (optional)">
          {(control) => (
            <input {...control} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />
          )}
        </Field>
        {nothing && (
          <Banner tone="warn" compact>
            Nothing came? Cancel the order instead.
          </Banner>
        )}
        {receive.isError && <ErrorBanner title="Not received" error={receive.error} testId="po-receive-error" />}
      </form>
    </Sheet>
  );
}
