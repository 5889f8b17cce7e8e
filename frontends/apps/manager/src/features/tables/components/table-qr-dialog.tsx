// One table's QR code: guests scan it to order from their phones. Rotating it issues a new link and kills the old
// one at once (a photographed or stolen card stops working), so the table's printed card must be replaced.
import { Button, Sheet, Spinner } from "@tavolo/ui";
import { useState } from "react";
import { ConfirmDialog } from "../../../shared/confirm-dialog";
import { ErrorBanner } from "../../../shared/error-banner";
import { useRotateTableQr, useTableQr, type Table } from "../api/tables-api";
import { QrImage } from "./qr-code";
import { QrHostWarning } from "./qr-host-warning";

export function TableQrDialog({ table, onClose }: { table: Table; onClose: () => void }) {
  const qr = useTableQr(table.id);
  const rotate = useRotateTableQr();
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState(false);

  return (
    <>
      <Sheet
        open
        onClose={onClose}
        title={`QR code · ${table.label}`}
        data-testid="table-qr-dialog"
        footer={
          <>
            <Button
              variant="danger"
              disabled={!qr.data}
              onClick={() => {
                rotate.reset();
                setConfirming(true);
              }}
              data-testid="table-qr-rotate"
            >
              Rotate code
            </Button>
            <Button variant="primary" onClick={onClose} data-testid="table-qr-done">
              Done
            </Button>
          </>
        }
      >
        <div className="dialog-form table-qr">
          {qr.isPending ? (
            <Spinner label="Loading the QR code" />
          ) : qr.isError ? (
            <ErrorBanner title="The QR code could not be loaded" error={qr.error} />
          ) : (
            <>
              <QrHostWarning url={qr.data.url} />
              <QrImage
                text={qr.data.url}
                label={`QR code that opens the guest menu of ${table.label}`}
                className="table-qr__image"
                testId="table-qr-image"
              />
              <p>Guests scan this code with their phone camera to see the menu and order from {table.label}.</p>
              <p className="table-qr__url">
                <a href={qr.data.url} target="_blank" rel="noreferrer" data-testid="table-qr-url">
                  {qr.data.url}
                </a>
              </p>
              {rotated && (
                <p className="badge badge--warn" role="status" data-testid="table-qr-rotated">
                  New code: print this table's card again; the old card no longer works.
                </p>
              )}
            </>
          )}
        </div>
      </Sheet>
      {confirming && (
        <ConfirmDialog
          title={`Rotate the QR code of ${table.label}?`}
          confirmLabel="Rotate code"
          busy={rotate.isPending}
          error={rotate.error}
          testId="table-qr-rotate-dialog"
          onConfirm={() =>
            rotate.mutate(table.id, {
              onSuccess: () => {
                setConfirming(false);
                setRotated(true);
              },
            })
          }
          onClose={() => setConfirming(false)}
        >
          <p>
            The old code stops working at once: the card on the table and any photo of it will show an error, and
            guests ordering with it now are cut off. Print the new card for {table.label} afterwards.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
