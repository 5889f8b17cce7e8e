import { describe, expect, it } from "vitest";
import { fallbackFilename, filenameFromDisposition } from "../api/export-api";

describe("the file name of an export", () => {
  it("is the quoted filename the appliance sends", () => {
    expect(filenameFromDisposition('attachment; filename="tavolo-orders-2026-12-01_2026-12-02.csv"')).toBe(
      "tavolo-orders-2026-12-01_2026-12-02.csv",
    );
  });

  it("reads an unquoted filename and ignores the parameters after it", () => {
    expect(filenameFromDisposition("attachment; filename=tavolo-items.csv; size=120")).toBe("tavolo-items.csv");
  });

  it("prefers the RFC 5987 form, percent-decoded", () => {
    expect(
      filenameFromDisposition(`attachment; filename="fallback.csv"; filename*=UTF-8''Caf%C3%A9%20orders.csv`),
    ).toBe("Café orders.csv");
  });

  it("unescapes a quoted name and never keeps a folder", () => {
    expect(filenameFromDisposition('attachment; filename="a \\"quoted\\" name.csv"')).toBe('a "quoted" name.csv');
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"')).toBe("passwd");
    expect(filenameFromDisposition('attachment; filename="C:\\\\temp\\\\x.csv"')).toBe("x.csv");
  });

  it("is null without a usable header, and the fallback names the kind and the days", () => {
    expect(filenameFromDisposition(null)).toBeNull();
    expect(filenameFromDisposition("attachment")).toBeNull();
    expect(filenameFromDisposition('attachment; filename=""')).toBeNull();
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A")).toBeNull();
    expect(fallbackFilename("items", "2026-12-01", "2026-12-02")).toBe("tavolo-items-2026-12-01_2026-12-02.csv");
  });
});
