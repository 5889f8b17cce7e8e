import { describe, expect, it } from "vitest";
import { STRINGS, detectLang, pick } from "../i18n";

describe("the guest's language", () => {
  it("is Greek for a phone set to any Greek locale", () => {
    expect(detectLang("el")).toBe("el");
    expect(detectLang("el-GR")).toBe("el");
    expect(detectLang("EL-cy")).toBe("el");
  });

  it("is English for every other phone, and when the browser does not say", () => {
    expect(detectLang("en-GB")).toBe("en");
    expect(detectLang("de-DE")).toBe("en");
    expect(detectLang(undefined)).toBe("en");
  });
});

describe("picking a menu name", () => {
  const moussaka = { name: "Μουσακάς", name_en: "Moussaka" };

  it("shows the Greek name in Greek", () => {
    expect(pick("el", moussaka)).toBe("Μουσακάς");
  });

  it("shows the English name in English", () => {
    expect(pick("en", moussaka)).toBe("Moussaka");
  });

  it("falls back to the Greek name when there is no English one", () => {
    expect(pick("en", { name: "Φάβα", name_en: null })).toBe("Φάβα");
    expect(pick("en", { name: "Φάβα", name_en: "" })).toBe("Φάβα");
  });
});

describe("the dictionary", () => {
  it("has every English string in Greek too, and says different things", () => {
    expect(Object.keys(STRINGS.el).sort()).toEqual(Object.keys(STRINGS.en).sort());
    expect(STRINGS.el.tokenInvalid).not.toBe(STRINGS.en.tokenInvalid);
    expect(STRINGS.el.state.preparing).toBe("Ετοιμάζεται");
  });

  it("names a numbered table as a table, and leaves a named one alone", () => {
    expect(STRINGS.en.table("4")).toBe("Table 4");
    expect(STRINGS.el.table("4")).toBe("Τραπέζι 4");
    expect(STRINGS.en.table("Terrace A")).toBe("Terrace A");
  });
});
