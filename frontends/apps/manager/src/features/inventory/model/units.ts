// Stock quantities travel as integers in the item's base unit (g, ml or pieces); people think in kilos and litres.
// These turn one into the other exactly, through integer arithmetic on the typed digits (never a float: 1.1 kg is
// 1100 g, not 1100.0000000000002), and refuse what the base unit cannot hold ("1.2345 kg" is a tenth of a gram).
import { formatFixed, parseFixed } from "../../../shared/decimal";

export type Unit = "g" | "ml" | "pc";
/** What a person types or reads: the base unit, or the kilo and litre that are a thousand of it. */
export type DisplayUnit = "g" | "kg" | "ml" | "l" | "pc";

/** Decimals a display unit has over its base unit (a kilo is 10³ grams). */
const DIGITS: Record<DisplayUnit, number> = { g: 0, kg: 3, ml: 0, l: 3, pc: 0 };
const BIG: Record<Unit, DisplayUnit> = { g: "kg", ml: "l", pc: "pc" };
// What each base unit may be typed in; "pcs" and "lt" are how many people write them.
const SPELLINGS: Record<Unit, Record<string, DisplayUnit>> = {
  g: { g: "g", gr: "g", kg: "kg" },
  ml: { ml: "ml", l: "l", lt: "l" },
  pc: { pc: "pc", pcs: "pc" },
};

export const UNIT_LABELS: Record<Unit, string> = { g: "Weight (g, kg)", ml: "Volume (ml, l)", pc: "Pieces" };

/** The unit a quantity of stock reads best in: kg or l from a thousand base units, else the base unit. */
export function displayUnitOf(quantity: number, unit: Unit): DisplayUnit {
  return unit !== "pc" && Math.abs(quantity) >= 1000 ? BIG[unit] : unit;
}

/** The big unit of an item: what deliveries, counts and costs are typed in (kg, l or pc). */
export function bigUnit(unit: Unit): DisplayUnit {
  return BIG[unit];
}

/** `quantity` base units as a number in `display` (no unit): 1250 g in kg → "1.25", 1000 → "1". */
export function inUnit(quantity: number, display: DisplayUnit): string {
  const text = formatFixed(quantity, DIGITS[display]);
  return DIGITS[display] > 0 ? text.replace(/\.?0+$/, "") : text;
}

/** What a person reads: 1250 g → "1.25 kg", 200 g → "200 g", 1000 ml → "1 l", 3 pieces → "3 pc". */
export function formatQuantity(quantity: number, unit: Unit): string {
  const display = displayUnitOf(quantity, unit);
  return `${inUnit(quantity, display)} ${display}`;
}

export type Parsed = { ok: true; value: number } | { ok: false; problem: string };

export interface ParseOptions {
  /** What a number without a unit is in (the field's own unit); the item's big unit by default. */
  assume?: DisplayUnit;
  /** Zero is a quantity (a count that found nothing); false: only more than zero (a delivery's line). */
  allowZero?: boolean;
  /** A minus is allowed (an adjustment that takes stock out). */
  signed?: boolean;
}

const MAX = 1_000_000_000;

/**
 * Typed text ("1.25 kg", "1,25", "250 g", "3 pcs") as base units of an item in `unit`, exactly; a reason in words
 * when it is not one: empty, another kind of unit, or finer than the base unit ("1.2345 kg", "2.5 g", "1.5 pc").
 */
export function parseQuantity(text: string, unit: Unit, options: ParseOptions = {}): Parsed {
  const { assume = BIG[unit], allowZero = false, signed = false } = options;
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "") return { ok: false, problem: "Enter a quantity." };
  const match = /^([+-]?[\d.,\s]*?)\s*([a-z]*)\.?$/.exec(trimmed);
  if (!match) return { ok: false, problem: `Not a quantity: "${text.trim()}".` };
  const [, number = "", word = ""] = match;
  const display = word === "" ? assume : SPELLINGS[unit][word];
  if (display === undefined) {
    const allowed = Object.keys(SPELLINGS[unit]).filter((spelling) => spelling !== "gr" && spelling !== "lt");
    return { ok: false, problem: `This item is counted in ${allowed.join(" or ")}, not "${word}".` };
  }
  if (number.trim().startsWith("-") && !signed) return { ok: false, problem: "Enter a quantity of zero or more." };
  const digits = DIGITS[display];
  const value = parseFixed(number, digits, { signed });
  if (value === null) {
    const fraction = /[.,](\d+)/.exec(number)?.[1] ?? "";
    if (/^[+]?[\d\s]*(?:[.,]\d*)?$/.test(number.trim()) && fraction.length > digits) {
      return {
        ok: false,
        problem:
          digits === 0
            ? `Whole ${display === "pc" ? "pieces" : display} only: 1 ${unit} is the smallest step.`
            : `At most ${digits} decimals in ${display}: 1 ${unit} (0.001 ${display}) is the smallest step.`,
      };
    }
    return { ok: false, problem: `Not a quantity: "${text.trim()}".` };
  }
  if (value === 0 && !allowZero) return { ok: false, problem: "Enter more than zero." };
  if (Math.abs(value) > MAX) return { ok: false, problem: "That is more than the appliance can hold." };
  return { ok: true, value };
}
