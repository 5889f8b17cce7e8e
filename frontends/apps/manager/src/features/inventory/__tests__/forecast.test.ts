import { describe, expect, it } from "vitest";
import { forecastCsv, sortForecast, type ForecastLike } from "../model/forecast";

function row(patch: Partial<ForecastLike> & Pick<ForecastLike, "name" | "status">): ForecastLike {
  return {
    stock_item_id: patch.name.length,
    unit: "g",
    on_hand: 1000,
    critical_level: 0,
    forecast: 500,
    suggested_order: 0,
    ...patch,
  };
}

describe("the forecast's order", () => {
  it("puts critical first, then warning, then ok; the least to spare first within each", () => {
    const rows = [
      row({ name: "Olive oil", status: "ok", on_hand: 9000, forecast: 100 }),
      row({ name: "Tomatoes", status: "warning", on_hand: 600, forecast: 500 }),
      row({ name: "Feta", status: "critical", on_hand: 100, forecast: 450 }),
      row({ name: "Lamb", status: "critical", on_hand: 0, forecast: 2000 }),
      row({ name: "Bread", status: "ok", on_hand: 9000, forecast: 100 }),
      row({ name: "Lemons", status: "warning", on_hand: 5, forecast: 4 }),
    ];
    expect(sortForecast(rows).map((r) => r.name)).toEqual([
      "Lamb",
      "Feta",
      "Lemons",
      "Tomatoes",
      "Bread",
      "Olive oil",
    ]);
    // The rows given are left as they were.
    expect(rows[0]?.name).toBe("Olive oil");
  });
});

describe("the forecast as CSV", () => {
  it("has a header, quantities in kg, l or pieces, critical first, and a BOM", () => {
    const text = forecastCsv(
      [
        row({ name: "Wine", unit: "ml", status: "ok", on_hand: 15000, forecast: 750, suggested_order: 0 }),
        row({
          name: "Feta",
          status: "critical",
          on_hand: 100,
          forecast: 450,
          suggested_order: 775,
          critical_level: 200,
        }),
      ],
      "2026-03-10",
    );
    expect(text.startsWith("\ufeff")).toBe(true);
    expect(text.slice(1).split("\r\n")).toEqual([
      "day,item,unit,on_hand,forecast,status,suggested_order,critical_level",
      "2026-03-10,Feta,kg,0.1,0.45,critical,0.775,0.2",
      "2026-03-10,Wine,l,15,0.75,ok,0,0",
      "",
    ]);
  });

  it("quotes what needs quoting and defuses what a spreadsheet would run", () => {
    const text = forecastCsv([row({ name: '=HYPERLINK("x"), "big"', status: "ok" })], "2026-03-10");
    expect(text).toContain(`,"'=HYPERLINK(""x""), ""big""",kg,`);
  });
});
