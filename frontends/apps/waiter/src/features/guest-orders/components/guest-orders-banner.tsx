// "Guest order at T3 — 4 items": every guest order waiting for this waiter, in the shell's header so it shows on
// every screen. A tap opens the order in a sheet to accept or reject it.
import { useState } from "react";
import { itemCount, usePendingSubmissions, type GuestSubmission } from "../api/guest-orders-api";
import { SubmissionSheet } from "./submission-sheet";
import "./guest-orders.css";

export function GuestOrdersBanner() {
  const pending = usePendingSubmissions();
  // The copy the waiter opened: it stays on screen if another waiter decides it meanwhile (it leaves the list).
  const [opened, setOpened] = useState<GuestSubmission | null>(null);
  const submissions = [...(pending.data ?? [])].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const current = opened ? submissions.find((s) => s.id === opened.id) : undefined;

  return (
    <>
      {submissions.length > 0 && (
        <section className="guest-orders" aria-label="Guest orders" data-testid="guest-orders-banner">
          <ul className="guest-orders__list">
            {submissions.map((submission) => {
              const count = itemCount(submission);
              return (
                <li key={submission.id} role="alert">
                  <button
                    type="button"
                    className="guest-orders__item"
                    data-testid="guest-submission"
                    data-submission-id={submission.id}
                    onClick={() => setOpened(submission)}
                  >
                    <span>
                      Guest order at <strong>{submission.table_label}</strong> — {count} {count === 1 ? "item" : "items"}
                    </span>
                    <span className="guest-orders__open" aria-hidden="true">
                      Review
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {opened && (
        <SubmissionSheet
          key={opened.id}
          submission={current ?? opened}
          pending={current !== undefined}
          onClose={() => setOpened(null)}
        />
      )}
    </>
  );
}
