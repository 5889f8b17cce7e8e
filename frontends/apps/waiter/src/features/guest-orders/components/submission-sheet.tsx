// One guest order, line by line, with who asked for what: Accept sends it to the kitchen like the waiter's own
// items (the table's order opens for this waiter when none is open); Reject needs a reason, which the guests see.
import { Button, FormError, Sheet, formatElapsed, formatMoney } from "@tavolo/ui";
import { useId, useState } from "react";
import { useCurrency } from "../../../lib/site";
import {
  decisionRefusalText,
  itemCount,
  useAcceptSubmission,
  useRejectSubmission,
  type GuestLine,
  type GuestSubmission,
} from "../api/guest-orders-api";

const QUICK_REASONS = ["Kitchen is closing", "Sold out", "Please ask your waiter"];
const MAX_REASON = 200;

interface SubmissionSheetProps {
  submission: GuestSubmission;
  /** False once it left the pending list: decided by someone else (or withdrawn). */
  pending: boolean;
  onClose: () => void;
}

function LineDetails({ line }: { line: GuestLine }) {
  const details = [
    ...line.options.map((name) => `+ ${name}`),
    ...line.removed.map((name) => `no ${name}`),
    ...line.choices,
  ];
  return (
    <>
      {details.length > 0 && <span className="guest-line__details">{details.join(", ")}</span>}
      {line.note && <span className="guest-line__note">“{line.note}”</span>}
    </>
  );
}

export function SubmissionSheet({ submission, pending, onClose }: SubmissionSheetProps) {
  const currency = useCurrency();
  const ids = useId();
  const accept = useAcceptSubmission();
  const reject = useRejectSubmission();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const busy = accept.isPending || reject.isPending;
  const failure = accept.error ?? reject.error;
  // Gone from the list while this waiter was looking (not because of their own decision, which closes the sheet).
  const handledElsewhere = !pending && !busy && !accept.isSuccess && !reject.isSuccess;
  const count = itemCount(submission);

  function doAccept() {
    reject.reset();
    accept.mutate(submission.id, { onSuccess: onClose });
  }

  function doReject() {
    const text = reason.trim();
    if (!text) return;
    accept.reset();
    reject.mutate({ id: submission.id, reason: text }, { onSuccess: onClose });
  }

  const footer = handledElsewhere ? (
    <Button size="large" block onClick={onClose}>
      OK
    </Button>
  ) : rejecting ? (
    <div className="guest-sheet__actions">
      <Button size="large" disabled={busy} onClick={() => setRejecting(false)}>
        Back
      </Button>
      <Button
        variant="danger"
        size="large"
        busy={reject.isPending}
        disabled={reason.trim() === ""}
        onClick={doReject}
        data-testid="guest-reject-confirm"
      >
        {reason.trim() === "" ? "Give a reason" : "Reject order"}
      </Button>
    </div>
  ) : (
    <div className="guest-sheet__actions">
      <Button
        size="large"
        disabled={busy}
        onClick={() => {
          accept.reset();
          setRejecting(true);
        }}
        data-testid="guest-submission-reject"
      >
        Reject
      </Button>
      <Button
        variant="primary"
        size="large"
        busy={accept.isPending}
        disabled={reject.isPending}
        onClick={doAccept}
        data-testid="guest-submission-accept"
      >
        Accept · {formatMoney(submission.total, currency)}
      </Button>
    </div>
  );

  return (
    <Sheet
      open
      onClose={onClose}
      dismissible={!busy}
      title={`Guest order · ${submission.table_label}`}
      data-testid="guest-submission-sheet"
      footer={footer}
    >
      <div className="guest-sheet">
        <p className="guest-sheet__meta">
          {count} {count === 1 ? "item" : "items"} · sent by {submission.nickname} ·{" "}
          {formatElapsed(submission.created_at) === "now" ? "just now" : `${formatElapsed(submission.created_at)} ago`}
        </p>
        <ul className="guest-sheet__lines">
          {submission.lines.map((line) => (
            <li key={line.id} className="guest-line" data-testid="guest-line">
              <span className="guest-line__qty">{line.quantity}×</span>
              <span className="guest-line__what">
                <span className="guest-line__name">{line.product_name}</span>
                <LineDetails line={line} />
                <span className="guest-line__who">for {line.nickname}</span>
              </span>
              <span className="guest-line__price">{formatMoney(line.line_total, currency)}</span>
            </li>
          ))}
        </ul>
        <p className="guest-sheet__total">
          <span>Total</span>
          <strong data-testid="guest-submission-total">{formatMoney(submission.total, currency)}</strong>
        </p>
        {rejecting && !handledElsewhere && (
          <div className="guest-sheet__reject">
            <label className="guest-sheet__label" htmlFor={`${ids}-reason`}>
              Why not? The guests see this.
            </label>
            <div className="guest-sheet__chips">
              {QUICK_REASONS.map((quick) => (
                <button
                  key={quick}
                  type="button"
                  className="guest-sheet__chip"
                  aria-pressed={reason === quick}
                  onClick={() => setReason(quick)}
                >
                  {quick}
                </button>
              ))}
            </div>
            <input
              id={`${ids}-reason`}
              className="guest-sheet__input"
              data-testid="guest-reject-reason"
              value={reason}
              maxLength={MAX_REASON}
              onChange={(event) => setReason(event.target.value)}
            />
          </div>
        )}
        {handledElsewhere ? (
          <FormError data-testid="guest-submission-gone">Another waiter already handled it.</FormError>
        ) : failure ? (
          <FormError data-testid="guest-submission-error">{decisionRefusalText(failure)}</FormError>
        ) : null}
      </div>
    </Sheet>
  );
}
