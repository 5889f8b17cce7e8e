// A new kitchen screen's pairing: its link (the kitchen app at /kitchen/ with `?pair=<token>`, which the app
// keeps and takes out of the address bar) as a QR code to scan with the screen's camera or tablet, and the code
// itself, big, to type in by hand. The token is shown only this once: the appliance keeps only its hash.
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import type { ScreenCreated } from "../api/printers-api";

/** The address a kitchen screen opens to pair itself. */
export function pairingUrl(token: string, origin: string = window.location.origin): string {
  return `${origin}/kitchen/?pair=${encodeURIComponent(token)}`;
}

/** The token in groups of four, easier to read out and type (the screen ignores nothing: copy it exactly). */
export function groupCode(token: string): string[] {
  return token.match(/.{1,4}/g) ?? [];
}

/** A QR code of `text` as an SVG image (no canvas: it renders the same in every browser and in tests). */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [rendered, setRendered] = useState<{ text: string; src: string } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 })
      .then((svg) => {
        if (!cancelled) setRendered({ text, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
    };
  }, [text]);
  if (failed) return <p className="muted">The QR code could not be drawn; use the link or the code below.</p>;
  if (rendered?.text !== text) return <div className="pairing__qr pairing__qr--pending" aria-busy="true" />;
  return (
    <img className="pairing__qr" src={rendered.src} alt={label} data-testid="pairing-qr" width={240} height={240} />
  );
}

export function PairingCode({ screen }: { screen: ScreenCreated }) {
  const url = pairingUrl(screen.token);
  return (
    <div className="pairing" data-testid="pairing-result">
      <QrCode text={url} label={`QR code that pairs the screen ${screen.name}`} />
      <div className="pairing__text">
        <p>
          On the kitchen screen, scan the QR code or open this link. It is shown only now: close this and the screen
          needs a new pairing.
        </p>
        <p className="pairing__link">
          <a href={url} target="_blank" rel="noreferrer" data-testid="pairing-link">
            {url}
          </a>
        </p>
        <p className="field__label" id="pairing-code-label">
          Pairing code
        </p>
        <p
          className="pairing__code"
          aria-labelledby="pairing-code-label"
          data-testid="pairing-code"
          data-code={screen.token}
        >
          {groupCode(screen.token).map((group, index) => (
            <span key={index}>{group}</span>
          ))}
        </p>
      </div>
    </div>
  );
}
