// The license on screen: LicenseBanner goes at the top of every screen. The license query and the "orders
// paused" reason the tables and order screens disable their actions with are in src/shared/license.ts.
export { LicenseBanner } from "./components/license-banner";
export { licenseNotice, refusedText, TRIAL_NOTE_DAYS, type LicenseNotice } from "./model/notice";
