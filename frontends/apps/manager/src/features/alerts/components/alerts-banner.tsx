import { Banner } from "@tavolo/ui";
import { Link } from "wouter";
import { licenseNeedsAttention, useLicense } from "../../../lib/license";
import { useFailedJobs, useLowStock, useOpenAlerts } from "../api/alerts-api";
import "./alerts-banner.css";

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** One live line under the header with counts of what needs attention, each a link to where it is fixed. */
export function AlertsBanner() {
  const alerts = useOpenAlerts().data ?? [];
  const failed = useFailedJobs().data ?? [];
  const lowStock = useLowStock().data ?? [];
  const license = useLicense().data;
  const openAlerts = alerts.filter((alert) => alert.cleared_at === null);
  const licenseIssue = licenseNeedsAttention(license);
  if (openAlerts.length === 0 && failed.length === 0 && lowStock.length === 0 && !licenseIssue) return null;
  const severe = failed.length > 0 || license?.state === "restricted" || license?.state === "locked";
  return (
    <Banner tone={severe ? "error" : "warn"} compact data-testid="alerts-banner">
      <span className="alerts-banner">
        {openAlerts.length > 0 && (
          <Link href="/printers" data-testid="alerts-printers">
            {plural(openAlerts.length, "printer alert", "printer alerts")}
          </Link>
        )}
        {failed.length > 0 && (
          <Link href="/printers" data-testid="alerts-failed-jobs">
            {plural(failed.length, "failed ticket", "failed tickets")}
          </Link>
        )}
        {lowStock.length > 0 && (
          <Link href="/inventory" data-testid="alerts-low-stock">
            {plural(lowStock.length, "item low on stock", "items low on stock")}
          </Link>
        )}
        {licenseIssue && license && (
          <Link href="/settings" data-testid="alerts-license">
            License: {license.reason}
          </Link>
        )}
      </span>
    </Banner>
  );
}
