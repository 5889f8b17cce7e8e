// The printable QR cards: one card per active table with the restaurant's name, the table, its QR code and
// "Scan to order" in English and Greek. A full-page view over the dashboard; when printed, only the cards are
// (see qr-cards.css), cut along the dashed lines.
import { Button, EmptyState, Spinner } from "@tavolo/ui";
import { useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";
import { ErrorBanner } from "../../../shared/error-banner";
import { useSiteInfo } from "../../../lib/site";
import { useTableQrs, type TableQr } from "../api/tables-api";
import { QrImage } from "./qr-code";
import { QrHostWarning } from "./qr-host-warning";
import "./qr-cards.css";

export const SCAN_TO_ORDER = { en: "Scan to order", el: "Σαρώστε για παραγγελία" } as const;

function QrCard({ qr, restaurant }: { qr: TableQr; restaurant: string }) {
  return (
    <article className="qr-card" data-testid="qr-card" data-table-id={qr.table_id} aria-label={`Card of ${qr.label}`}>
      <p className="qr-card__restaurant">{restaurant}</p>
      <p className="qr-card__table">{qr.label}</p>
      <QrImage text={qr.url} label={`QR code of ${qr.label}`} className="qr-card__code" testId="qr-card-code" />
      <p className="qr-card__scan" lang="en">
        {SCAN_TO_ORDER.en}
      </p>
      <p className="qr-card__scan" lang="el">
        {SCAN_TO_ORDER.el}
      </p>
    </article>
  );
}

export function QrCardsPage({ onClose }: { onClose: () => void }) {
  const qrs = useTableQrs();
  const site = useSiteInfo();
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const cards = [...(qrs.data ?? [])].sort((a, b) => a.number - b.number);

  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  });

  // Once, on opening: the keyboard starts on the page's title and Escape goes back, like a sheet.
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    headingRef.current?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") closeRef.current();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  // In <body>, beside the app: printing hides every other child of <body>, so only the cards reach the paper.
  return createPortal(
    <div className="qr-print" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="qr-cards-page">
      <div className="qr-print__bar">
        <h1 id={titleId} ref={headingRef} tabIndex={-1}>
          QR cards{cards.length > 0 ? ` · ${cards.length} tables` : ""}
        </h1>
        <p className="muted">One card per active table. Print, cut along the dashed lines and put each on its table.</p>
        <QrHostWarning url={cards[0]?.url} />
        <div className="toolbar">
          <Button onClick={onClose} data-testid="qr-cards-close">
            Back to tables
          </Button>
          <Button variant="primary" disabled={cards.length === 0} onClick={() => window.print()} data-testid="qr-cards-print">
            Print
          </Button>
        </div>
      </div>
      {qrs.isPending ? (
        <Spinner label="Loading the QR codes" />
      ) : qrs.isError ? (
        <ErrorBanner title="The QR codes could not be loaded" error={qrs.error} />
      ) : cards.length === 0 ? (
        <EmptyState title="No active tables">Add tables first: each gets its own card.</EmptyState>
      ) : (
        <div className="qr-cards">
          {cards.map((qr) => (
            <QrCard key={qr.table_id} qr={qr} restaurant={site.data?.restaurant_name ?? ""} />
          ))}
        </div>
      )}
    </div>,
    document.body,
  );
}
