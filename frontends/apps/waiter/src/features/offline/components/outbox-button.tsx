// Opens the queue in a sheet: the shell wraps its queued-count badge in it, so the waiter can see what is
// waiting and deal with what was refused from any screen.
import { Sheet } from "@tavolo/ui";
import { useState, type ButtonHTMLAttributes } from "react";
import { OutboxPanel } from "./outbox-panel";
import "./offline.css";

export function OutboxButton({ className, children, ...rest }: ButtonHTMLAttributes<HTMLButtonElement>) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        {...rest}
        className={className ? `off-open ${className}` : "off-open"}
        onClick={() => setOpen(true)}
      >
        {children}
      </button>
      <Sheet open={open} onClose={() => setOpen(false)} title="Not sent yet" data-testid="outbox-sheet">
        <OutboxPanel />
      </Sheet>
    </>
  );
}
