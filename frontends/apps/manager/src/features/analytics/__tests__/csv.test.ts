import { appliance } from "../../../test/stub-appliance";
import { afterEach, describe, expect, it, vi } from "vitest";
import { downloadCsv } from "../api/analytics-api";

afterEach(() => {
  appliance.mockReset();
  vi.unstubAllGlobals();
});

function csv(filename: string | null): Response {
  const headers = new Headers({ "Content-Type": "text/csv; charset=utf-8" });
  if (filename) headers.set("Content-Disposition", `attachment; filename="${filename}"`);
  return new Response("\ufeffproduct_id,product\n1,Moussaka\n", { status: 200, headers });
}

describe("a table's CSV", () => {
  it("asks the table's route for CSV of the period, and saves it under the appliance's file name", async () => {
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: vi.fn(() => "blob:csv"), revokeObjectURL: vi.fn() }));
    appliance.mockResolvedValue(csv("tavolo-products-2026-03-02_2026-03-08.csv"));

    const name = await downloadCsv("products", { from: "2026-03-02", to: "2026-03-08" });
    expect(name).toBe("tavolo-products-2026-03-02_2026-03-08.csv");
    expect(saved).toEqual([name]);
    const url = new URL(appliance.mock.calls[0]![0].url);
    expect(url.pathname).toBe("/api/analytics/products");
    expect(Object.fromEntries(url.searchParams)).toEqual({ from: "2026-03-02", to: "2026-03-08", format: "csv" });

    appliance.mockResolvedValue(csv(null));
    expect(await downloadCsv({ sales: "weekday" }, { from: "2026-03-02", to: "2026-03-08" })).toBe(
      "tavolo-sales-by-weekday-2026-03-02_2026-03-08.csv",
    );
    const sales = new URL(appliance.mock.calls[1]![0].url);
    expect(sales.pathname).toBe("/api/reports/sales");
    expect(sales.searchParams.get("group_by")).toBe("weekday");
    expect(sales.searchParams.get("format")).toBe("csv");
  });
});
