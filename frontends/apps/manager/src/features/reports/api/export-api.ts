// The CSV exports. The route needs the bearer token (there is no cookie session), so the browser cannot just
// follow a link: the file is fetched through the client, then handed to the browser as a Blob URL to save.
import { unwrap } from "@tavolo/api";
import { api } from "../../../lib/api";

export type ExportKind = "orders" | "items";

/**
 * The file name a Content-Disposition header gives, or null. RFC 6266: `filename*=UTF-8''…` (percent-encoded)
 * wins over `filename="…"`; only the last path segment is kept, so a name can never point into a folder.
 */
export function filenameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (extended?.[1]) {
    const value = extended[1].trim().replace(/^"(.*)"$/, "$1");
    const match = /^([^']*)'[^']*'(.*)$/.exec(value);
    try {
      name = decodeURIComponent(match ? (match[2] ?? "") : value);
    } catch {
      name = null;
    }
  }
  if (!name) {
    const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
    const bare = /filename\s*=\s*([^;\s]+)/i.exec(header);
    name = quoted?.[1] !== undefined ? quoted[1].replace(/\\(.)/g, "$1") : (bare?.[1] ?? null);
  }
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base ? base : null;
}

export function fallbackFilename(kind: ExportKind, from: string, to: string): string {
  return `tavolo-${kind}-${from}_${to}.csv`;
}

function request(kind: ExportKind, from: string, to: string) {
  const init = { params: { query: { from, to } }, parseAs: "blob" as const };
  return kind === "orders"
    ? api.GET("/api/reports/export/orders", init)
    : api.GET("/api/reports/export/items", init);
}

/** Fetch an export and save it; answers with the file name used. Throws the API's error (bad period…). */
export async function downloadExport(kind: ExportKind, from: string, to: string): Promise<string> {
  const pending = request(kind, from, to);
  const blob = (await unwrap(pending)) as Blob;
  const { response } = await pending;
  const filename =
    filenameFromDisposition(response.headers.get("Content-Disposition")) ?? fallbackFilename(kind, from, to);
  saveBlob(blob, filename);
  return filename;
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; a little later the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
