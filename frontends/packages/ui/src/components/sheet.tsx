import { useEffect, useId, useRef, type ReactNode, type RefObject } from "react";
import { createPortal } from "react-dom";
import "./sheet.css";

export interface SheetProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  /** Actions pinned under the scrolling body, within reach of the thumb. */
  footer?: ReactNode;
  /** What gets focus on open; the panel itself by default, so a phone keyboard does not pop up unasked. */
  initialFocus?: RefObject<HTMLElement | null>;
  /**
   * False while the sheet must stay up (a request it started is under way): the backdrop, Escape and the
   * close button then do nothing. True by default.
   */
  dismissible?: boolean;
  "data-testid"?: string;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

// Open sheets, innermost last: Escape closes only the top one when a sheet opens another, and only the top
// one is left out of `inert`.
const openSheets: { token: symbol; container: HTMLElement | null }[] = [];
// The body children this module made inert; others (inert for a reason of their own) are left alone.
const madeInert = new Set<Element>();

/**
 * Everything in <body> but the top sheet becomes inert: no tap, focus or screen reader reaches the page (or a
 * sheet) underneath. aria-modal alone does not stop a screen reader's swipe or a tap that slips past.
 */
function syncInert(): void {
  const top = openSheets[openSheets.length - 1]?.container ?? null;
  for (const child of Array.from(document.body.children)) {
    const shouldBe = top !== null && child !== top && !child.contains(top);
    if (shouldBe && !child.hasAttribute("inert")) {
      child.setAttribute("inert", "");
      madeInert.add(child);
    } else if (!shouldBe && madeInert.has(child)) {
      child.removeAttribute("inert");
      madeInert.delete(child);
    }
  }
  // Children removed from the page while inert are not ours to track any more.
  for (const element of madeInert) if (!element.isConnected) madeInert.delete(element);
}

/** A bottom sheet dialog: modal (the rest is inert), Escape or a tap on the backdrop closes it, Tab stays inside. */
export function Sheet({ open, onClose, title, children, footer, initialFocus, dismissible = true, ...rest }: SheetProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const dismiss = dismissible ? onClose : undefined;
  const dismissRef = useRef(dismiss);
  useEffect(() => {
    dismissRef.current = dismiss;
  });

  useEffect(() => {
    if (!open) return;
    // Read before the page turns inert: a browser may move focus off an element that becomes inert.
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const token = Symbol("sheet");
    openSheets.push({ token, container: rootRef.current });
    syncInert();
    const panel = panelRef.current;
    (initialFocus?.current ?? panel)?.focus({ preventScroll: true });
    const bodyOverflow = document.body.style.overflow;
    document.body.style.overflow = "hidden";

    function onKeyDown(event: KeyboardEvent) {
      if (openSheets[openSheets.length - 1]?.token !== token || !panel) return;
      if (event.key === "Escape") {
        event.preventDefault();
        dismissRef.current?.();
        return;
      }
      if (event.key !== "Tab") return;
      const items = Array.from(panel.querySelectorAll<HTMLElement>(FOCUSABLE));
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) {
        event.preventDefault();
        panel.focus();
        return;
      }
      const active = document.activeElement;
      const outside = !panel.contains(active);
      if (event.shiftKey && (active === first || active === panel || outside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || outside)) {
        event.preventDefault();
        first.focus();
      }
    }

    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      openSheets.splice(
        openSheets.findIndex((sheet) => sheet.token === token),
        1,
      );
      // Before focus goes back: an inert element cannot take it.
      syncInert();
      document.body.style.overflow = bodyOverflow;
      if (previous?.isConnected) previous.focus({ preventScroll: true });
    };
    // initialFocus is read once per opening on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  if (!open) return null;
  // In <body>, not in place: a sheet opened from a sticky header or a fixed bar must still cover everything,
  // whatever stacking context its opener sits in.
  return createPortal(
    <div className="ui-sheet" ref={rootRef}>
      <div className="ui-sheet__backdrop" data-testid="sheet-backdrop" aria-hidden="true" onClick={dismiss} />
      <div
        {...rest}
        ref={panelRef}
        className="ui-sheet__panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
      >
        <div className="ui-sheet__header">
          <h2 id={titleId} className="ui-sheet__title">
            {title}
          </h2>
          <button
            type="button"
            className="ui-sheet__close"
            aria-label="Close"
            disabled={!dismissible}
            onClick={onClose}
          >
            ×
          </button>
        </div>
        <div className="ui-sheet__body">{children}</div>
        {footer && <div className="ui-sheet__footer">{footer}</div>}
      </div>
    </div>,
    document.body,
  );
}
