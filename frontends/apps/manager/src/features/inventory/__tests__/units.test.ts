import { describe, expect, it } from "vitest";
import { formatQuantity, inUnit, parseQuantity, type ParseOptions, type Unit } from "../model/units";

function value(text: string, unit: Unit, options?: ParseOptions): number | string {
  const parsed = parseQuantity(text, unit, options);
  return parsed.ok ? parsed.value : parsed.problem;
}

describe("showing a quantity", () => {
  it.each<[number, Unit, string]>([
    [0, "g", "0 g"],
    [200, "g", "200 g"],
    [999, "g", "999 g"],
    [1000, "g", "1 kg"],
    [1250, "g", "1.25 kg"],
    [1001, "g", "1.001 kg"],
    [2100, "g", "2.1 kg"],
    [-1500, "g", "-1.5 kg"],
    [-150, "g", "-150 g"],
    [750, "ml", "750 ml"],
    [1500, "ml", "1.5 l"],
    [12, "pc", "12 pc"],
    [2400, "pc", "2400 pc"],
  ])("%i %s reads %s", (quantity, unit, shown) => {
    expect(formatQuantity(quantity, unit)).toBe(shown);
  });

  it("gives a field its number in a chosen unit without trailing zeros", () => {
    expect(inUnit(1250, "kg")).toBe("1.25");
    expect(inUnit(1000, "kg")).toBe("1");
    expect(inUnit(150, "kg")).toBe("0.15");
    expect(inUnit(150, "g")).toBe("150");
  });
});

describe("reading a typed quantity back to base units", () => {
  it.each<[string, Unit, number]>([
    ["1.25 kg", "g", 1250],
    ["1,25 kg", "g", 1250],
    ["1.25kg", "g", 1250],
    ["1.25", "g", 1250], // a number alone is in the field's big unit (kg)
    ["0.001 kg", "g", 1],
    ["250 g", "g", 250],
    ["250 gr", "g", 250],
    ["2 KG", "g", 2000],
    ["1.1 kg", "g", 1100], // not 1100.0000000000002
    ["0.7 l", "ml", 700],
    ["330 ml", "ml", 330],
    ["1.5 lt", "ml", 1500],
    ["12", "pc", 12],
    ["12 pcs", "pc", 12],
    [" 3 pc ", "pc", 3],
  ])("%j of an item in %s is %i", (text, unit, base) => {
    expect(value(text, unit)).toBe(base);
  });

  it("takes a number alone in the unit the field assumes (a recipe's grams)", () => {
    expect(value("150", "g", { assume: "g" })).toBe(150);
    expect(value("0.15 kg", "g", { assume: "g" })).toBe(150);
  });

  it.each<[string, Unit, RegExp]>([
    ["1.2345 kg", "g", /at most 3 decimals in kg/i],
    ["0.0005 l", "ml", /at most 3 decimals in l/i],
    ["2.5 g", "g", /whole g only/i],
    ["1.5 pc", "pc", /whole pieces only/i],
    ["1.5", "pc", /whole pieces only/i],
    ["2 l", "g", /counted in g or kg, not "l"/],
    ["3 kg", "pc", /counted in pc or pcs/],
    ["", "g", /enter a quantity/i],
    ["a lot", "g", /not a quantity/i],
    ["1.2.3 kg", "g", /not a quantity/i],
    ["1,250.5 kg", "g", /not a quantity/i],
    ["0", "g", /more than zero/i],
    ["-2 kg", "g", /zero or more/i],
  ])("refuses %j for an item in %s", (text, unit, problem) => {
    expect(value(text, unit)).toMatch(problem);
  });

  it("allows zero for a count and a minus for an adjustment only when asked", () => {
    expect(value("0", "g", { allowZero: true })).toBe(0);
    expect(value("-0.5 kg", "g", { signed: true })).toBe(-500);
  });

  it("refuses more than the appliance holds", () => {
    expect(value("1000001 kg", "g")).toMatch(/more than the appliance/);
  });
});
