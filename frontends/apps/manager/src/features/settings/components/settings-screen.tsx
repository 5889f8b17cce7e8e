// Settings: the restaurant (name, timezone, currency, tax, service charge, footer, report printer, day close), guest
// ordering from the tables' QR codes, the receipt logo, and the license.
import { Spinner } from "@tavolo/ui";
import { ErrorBanner } from "../../../shared/error-banner";
import { useSettings } from "../api/settings-api";
import { LicensePanel } from "./license-panel";
import { LogoPanel } from "./logo-panel";
import { SettingsForm } from "./settings-form";
import "./settings.css";

export function SettingsScreen() {
  const settings = useSettings();
  return (
    <section className="page" aria-labelledby="settings-title">
      <div className="page-head">
        <h1 id="settings-title" tabIndex={-1}>
          Settings
        </h1>
      </div>
      {settings.isPending ? (
        <Spinner />
      ) : settings.isError ? (
        <ErrorBanner title="The settings could not be loaded" error={settings.error} />
      ) : (
        <>
          <SettingsForm settings={settings.data} />
          <LogoPanel settings={settings.data} />
        </>
      )}
      <LicensePanel />
    </section>
  );
}
