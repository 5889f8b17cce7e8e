// A table's QR code as an SVG image: vector, so a printed card stays sharp at any size, and no canvas (it draws
// the same in every browser and in tests).
import QRCode from "qrcode";
import { useEffect, useState } from "react";

export function QrImage({ text, label, className, testId }: { text: string; label: string; className: string; testId?: string }) {
  const [rendered, setRendered] = useState<{ text: string; src: string } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    // "M" survives a scratched or stained card on a table better than the default's smaller code would.
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
  if (failed) return <p className="muted">The QR code could not be drawn; use the link instead.</p>;
  if (rendered?.text !== text) return <div className={className} aria-busy="true" />;
  return <img className={className} src={rendered.src} alt={label} data-testid={testId} data-text={text} />;
}
