// A discount, comp or void on the bill, in a sheet: what (an item's Discount / Comp / Void, or a discount of the
// whole bill), how much (percent, amount, or all of it), why (required), then, for a waiter, a manager's approval
// typed on this phone. A manager's own session skips that step. Sent straight to the appliance (api/exceptions.ts).
import { newIdempotencyKey, type Approval, type DiscountCreate, type Order, type OrderItem } from "@tavolo/api";
import { Banner, Button, Sheet, StaffPinForm, formatMoney, type StaffPinCredentials } from "@tavolo/ui";
import { useId, useState } from "react";
import { parseAmount } from "../../../shared/amount-input";
import {
  addDiscount,
  approvalSpent,
  exceptionRefusalText,
  grantApproval,
  parsePercent,
  voidItem,
  type ApprovalAction,
} from "../api/exceptions";
import "./exception-sheet.css";

export type ExceptionMode = "discount" | "comp" | "void";
type Kind = DiscountCreate["kind"];
type Step = "choose" | "form" | "approve";

export interface ExceptionTarget {
  /** The item, or null for the whole bill. */
  item: OrderItem | null;
  /** What to do; null: let the waiter choose (an item's actions). */
  mode: ExceptionMode | null;
}

export interface ExceptionSheetProps {
  order: Order;
  target: ExceptionTarget;
  currency: string;
  isManager: boolean;
  /** Why nothing can be sent now (offline, writes of this order still queued); null when it can. */
  blocked: string | null;
  onClose: () => void;
  /** Done: the order as the appliance has it now, and what to tell the waiter. */
  onDone: (order: Order, message: string) => void;
}

const QUICK_REASONS = ["Guest complaint", "Wrong order", "Long wait", "Staff meal", "Regular guest"];

function actionOf(mode: ExceptionMode): ApprovalAction {
  return mode === "void" ? "void" : "discount";
}

export function ExceptionSheet({ order, target, currency, isManager, blocked, onClose, onDone }: ExceptionSheetProps) {
  const ids = useId();
  const { item } = target;
  const [step, setStep] = useState<Step>(target.mode === null ? "choose" : "form");
  const [mode, setMode] = useState<ExceptionMode>(target.mode ?? "discount");
  const [kind, setKind] = useState<Kind>(target.mode === "comp" ? "comp" : "percent");
  const [valueText, setValueText] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [approval, setApproval] = useState<Approval | null>(null);
  const [approveError, setApproveError] = useState<string | null>(null);
  // One key per discount confirmed: a retry after a lost answer reuses it, a changed discount gets a new one.
  const [key, setKey] = useState(newIdempotencyKey);

  const what = item ? item.product_name : "the bill";
  const effectiveKind: Kind = mode === "comp" ? "comp" : kind;
  const value =
    mode === "void" || effectiveKind === "comp"
      ? null
      : effectiveKind === "percent"
        ? parsePercent(valueText)
        : parseAmount(valueText, currency);

  const problem =
    blocked ??
    (mode !== "void" && effectiveKind !== "comp" && !value
      ? effectiveKind === "percent"
        ? "Type the percentage (up to 100)"
        : "Type the amount"
      : reason.trim() === ""
        ? "Give a reason"
        : null);

  let doText: string;
  if (mode === "void") doText = `Void ${what}`;
  else if (effectiveKind === "comp") doText = item ? `Comp ${what}` : "Comp the whole bill";
  else if (effectiveKind === "percent") doText = `Take ${(value ?? 0) / 100}% off ${what}`;
  else doText = `Take ${formatMoney(value ?? 0, currency)} off ${what}`;
  const heldApproval = approval !== null && approval.action === actionOf(mode) ? approval : null;
  const needsApproval = !isManager && heldApproval === null;

  function changed() {
    setError(null);
    setKey(newIdempotencyKey());
  }

  function choose(next: ExceptionMode) {
    setMode(next);
    setKind(next === "comp" ? "comp" : "percent");
    setStep("form");
    changed();
  }

  async function send(token: string | null, approver: string | null): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const by = approver ? ` (approved by ${approver})` : "";
      if (mode === "void") {
        if (!item) return;
        const updated = await voidItem(order.id, item.id, reason.trim(), token);
        onDone(updated, `Voided ${what}${by}`);
        return;
      }
      const body: DiscountCreate = {
        kind: effectiveKind,
        reason: reason.trim(),
        ...(item ? { item_id: item.id } : {}),
        ...(value !== null ? { value } : {}),
      };
      const recorded = await addDiscount(order.id, body, token, key);
      const off = formatMoney(recorded.discount.amount, currency);
      onDone(recorded.order, effectiveKind === "comp" ? `Comped ${what}: ${off}${by}` : `${off} off ${what}${by}`);
    } catch (caught) {
      // The refused action did not spend the approval (its transaction rolled back) unless it says so.
      if (approvalSpent(caught)) setApproval(null);
      setError(exceptionRefusalText(caught));
      setStep("form");
    } finally {
      setBusy(false);
    }
  }

  function submit() {
    if (problem || busy) return;
    if (isManager) void send(null, null);
    else if (heldApproval) void send(heldApproval.approval_token, heldApproval.manager.display_name);
    else {
      setApproveError(null);
      setStep("approve");
    }
  }

  async function approve({ username, pin }: StaffPinCredentials): Promise<void> {
    setBusy(true);
    setApproveError(null);
    let granted: Approval;
    try {
      granted = await grantApproval(order.id, actionOf(mode), username.trim(), pin);
    } catch (caught) {
      setApproveError(exceptionRefusalText(caught));
      setBusy(false);
      // Rejected: the form clears the PIN for the next try.
      throw caught;
    }
    setApproval(granted);
    await send(granted.approval_token, granted.manager.display_name);
  }

  const title =
    step === "choose"
      ? what
      : mode === "void"
        ? `Void ${what}`
        : mode === "comp"
          ? `Comp ${what}`
          : item
            ? `Discount ${what}`
            : "Discount the bill";

  return (
    <Sheet
      open
      onClose={onClose}
      dismissible={!busy}
      title={title}
      data-testid="exception-sheet"
      footer={
        step === "form" ? (
          <Button
            variant={mode === "void" ? "danger" : "primary"}
            size="large"
            block
            busy={busy}
            disabled={problem !== null}
            onClick={submit}
            data-testid="discount-submit"
          >
            {problem ?? (needsApproval ? `${doText}: ask a manager` : doText)}
          </Button>
        ) : step === "approve" ? (
          <Button variant="secondary" size="large" block disabled={busy} onClick={() => setStep("form")} data-testid="approval-back">
            Back
          </Button>
        ) : undefined
      }
    >
      {step === "choose" && item && (
        <div className="exc-choose" role="group" aria-label={`What to do with ${what}`}>
          <p className="exc-muted">
            {item.quantity}× {item.product_name} · {formatMoney(item.line_total, currency)}
          </p>
          <Button size="large" block onClick={() => choose("discount")} data-testid={`discount-item-${item.id}`}>
            Discount
          </Button>
          <Button size="large" block onClick={() => choose("comp")} data-testid={`comp-item-${item.id}`}>
            Comp (on the house)
          </Button>
          {item.paid_quantity === 0 && (
            <Button variant="danger" size="large" block onClick={() => choose("void")} data-testid={`void-item-${item.id}`}>
              Void (cancel with a reason)
            </Button>
          )}
          {!isManager && <p className="exc-muted">Each needs a manager&apos;s approval.</p>}
        </div>
      )}

      {step === "form" && (
        <div className="exc-form">
          {blocked && (
            <Banner tone="warn" compact>
              {blocked}
            </Banner>
          )}
          {error && (
            <Banner tone="error" title="Not done" data-testid="discount-error">
              {error}
            </Banner>
          )}
          {mode !== "void" && (
            <div className="exc-field" role="group" aria-labelledby={`${ids}-kind`}>
              <span className="exc-field__label" id={`${ids}-kind`}>
                How much
              </span>
              <div className="exc-chips">
                {(["percent", "amount", "comp"] as const).map((k) => (
                  <button
                    key={k}
                    type="button"
                    className="exc-chip"
                    aria-pressed={effectiveKind === k}
                    onClick={() => {
                      setMode(k === "comp" ? "comp" : "discount");
                      setKind(k);
                      changed();
                    }}
                    data-testid={`discount-kind-${k}`}
                  >
                    {k === "percent" ? "Percent" : k === "amount" ? "Amount" : "All of it (comp)"}
                  </button>
                ))}
              </div>
              {effectiveKind !== "comp" && (
                <label className="exc-value">
                  <span className="visually-hidden">{effectiveKind === "percent" ? "Percent off" : "Amount off"}</span>
                  <input
                    type="text"
                    inputMode="decimal"
                    placeholder={effectiveKind === "percent" ? "10" : formatMoney(0, currency)}
                    value={valueText}
                    onChange={(event) => {
                      setValueText(event.target.value);
                      changed();
                    }}
                    data-testid="discount-value"
                  />
                  <span className="exc-value__unit">{effectiveKind === "percent" ? "%" : ""}</span>
                </label>
              )}
            </div>
          )}
          <div className="exc-field">
            <label className="exc-field__label" htmlFor={`${ids}-reason`}>
              Reason
            </label>
            <input
              id={`${ids}-reason`}
              className="exc-reason"
              type="text"
              maxLength={200}
              value={reason}
              onChange={(event) => {
                setReason(event.target.value);
                changed();
              }}
              data-testid="discount-reason"
            />
            <div className="exc-chips">
              {QUICK_REASONS.map((text) => (
                <button
                  key={text}
                  type="button"
                  className="exc-chip exc-chip--small"
                  onClick={() => {
                    setReason(text);
                    changed();
                  }}
                >
                  {text}
                </button>
              ))}
            </div>
          </div>
          {heldApproval && !isManager && (
            <p className="exc-muted" data-testid="approval-held">
              Approved by {heldApproval.manager.display_name}
            </p>
          )}
        </div>
      )}

      {step === "approve" && (
        <StaffPinForm
          className="exc-approve"
          header={
            <p className="exc-approve__what">
              <strong>{doText}</strong>
              <span className="exc-muted">Reason: {reason.trim()}</span>
              <span className="exc-muted">A manager approves with their username and PIN.</span>
            </p>
          }
          onSubmit={approve}
          busy={busy}
          error={approveError}
          submitLabel="Approve"
          whose="the manager's"
          pinLabel="Manager PIN keypad"
          usernameAutoComplete="off"
          focusUsername
          testIds={{ username: "approval-username", error: "approval-error", submit: "approval-submit" }}
        />
      )}
    </Sheet>
  );
}
