import { describe, expect, it } from "vitest";
import { STRINGS, chooseLang, detectLang, phoneLanguages, pick } from "../i18n";

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

  it("is the first language of the phone's list that the app speaks", () => {
    expect(detectLang(["de-DE", "el-GR"])).toBe("el");
    expect(detectLang(["fr-FR", "en-US", "el-GR"])).toBe("en");
    expect(detectLang(["el", "en-GB"])).toBe("el");
    expect(detectLang(["de-DE", "fr-FR"])).toBe("en");
    expect(detectLang([])).toBe("en");
  });

  it("does not take a language that only starts with the same letters for Greek", () => {
    // A tag is matched by its primary language, not by its first letters.
    expect(detectLang(["elx", "de"])).toBe("en");
    expect(detectLang(["el_GR"])).toBe("el");
  });

  it("reads the phone's list, or its one language on browsers without a list", () => {
    expect(phoneLanguages({ languages: ["de-DE", "el-GR"], language: "de-DE" })).toEqual(["de-DE", "el-GR"]);
    expect(phoneLanguages({ languages: [], language: "el-GR" })).toEqual(["el-GR"]);
    expect(phoneLanguages(undefined)).toEqual([]);
  });

  it("keeps the guest's own pick on the toggle over the phone's languages", () => {
    expect(chooseLang("en", ["el-GR"])).toBe("en");
    expect(chooseLang("el", ["en-US"])).toBe("el");
    expect(chooseLang(null, ["de-DE", "el-GR"])).toBe("el");
    // Anything else in storage is not a pick.
    expect(chooseLang("de", ["de-DE", "el-GR"])).toBe("el");
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
