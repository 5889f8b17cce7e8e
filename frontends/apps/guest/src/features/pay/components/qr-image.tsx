// The upi:// link drawn as a QR code, for paying from another phone (a friend's, or the one with the UPI app) when
// the gateway gives no picture of its own. SVG: sharp on any screen, and the same in every browser and in tests.
import QRCode from "qrcode";
import { useEffect, useState } from "react";

export function QrImage({ text, label, failedText }: { text: string; label: string; failedText: string }) {
  const [rendered, setRendered] = useState<{ text: string; src: string } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 1 })
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
  if (failed) return <p className="g-muted">{failedText}</p>;
  if (rendered?.text !== text) return <div className="g-pay__qr-image" aria-busy="true" />;
  return <img className="g-pay__qr-image" src={rendered.src} alt={label} data-testid="pay-qr-image" />;
}
