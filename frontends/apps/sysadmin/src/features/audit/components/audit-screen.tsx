import type { AuditEvent } from "@tavolo/api";
import { Banner, Button, EmptyState, Spinner } from "@tavolo/ui";
import { Link, useSearchParams } from "wouter";
import { describeError } from "../../../lib/errors";
import { formatDateTime } from "../../../lib/format";
import { useTitle } from "../../../lib/use-title";
import { useAudit } from "../hooks/use-audit";
import "./audit.css";

const ACTION_LABEL: Record<string, string> = {
  "site.register": "Registered a site",
  "site.update": "Edited a site",
  "site.extend": "Extended a license",
  "site.shorten": "Shortened a license",
  "site.lock": "Locked a site",
  "site.unlock": "Unlocked a site",
  "site.rotate_key": "Rotated a site key",
  "site.deregister": "Deregistered a site",
  "site.stale": "Site went stale",
  "auth.login": "Logged in",
  "auth.login_failed": "Failed login",
  "sysadmin.seeded": "First sysadmin created",
  "sysadmin.created": "Sysadmin created",
  "sysadmin.password_reset": "Password reset",
  "keys.generate": "Signing key generated",
  "keys.rotate": "Signing key added",
  "keys.activate": "Signing key activated",
};

function show(value: unknown): string {
  if (typeof value === "string") return value;
  // An edit records each changed field as {from, to}.
  if (value && typeof value === "object" && "from" in value && "to" in value) {
    return `${show(value.from)} → ${show(value.to)}`;
  }
  return JSON.stringify(value);
}

function details(data: AuditEvent["data"]): string {
  return Object.entries(data)
    .map(([key, value]) => `${key.replaceAll("_", " ")}: ${show(value)}`)
    .join(" · ");
}

export function AuditScreen() {
  const [params] = useSearchParams();
  const siteId = params.get("site_id");
  useTitle("Audit log");
  const audit = useAudit(siteId);
  const events = audit.data?.pages.flat() ?? [];

  return (
    <div className="audit">
      <div className="page-head">
        <h1 tabIndex={-1}>Audit log</h1>
      </div>
      {siteId && (
        <p className="audit__filter">
          Events of site <Link href={`/sites/${encodeURIComponent(siteId)}`} className="mono">{siteId}</Link> ·{" "}
          <Link href="/audit">Show every event</Link>
        </p>
      )}
      {audit.isError && (
        <Banner
          tone="error"
          title="The audit log could not be loaded"
          action={
            <Button onClick={() => void audit.refetch()} busy={audit.isFetching}>
              Retry
            </Button>
          }
        >
          {describeError(audit.error)}
        </Banner>
      )}
      {audit.isPending && !audit.isError && <Spinner label="Loading the audit log" />}
      {audit.isSuccess && events.length === 0 && <EmptyState title="Nothing recorded yet" />}
      {events.length > 0 && (
        <div className="table-wrap panel">
          <table className="table" data-testid="audit-table">
            <caption className="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Site</th>
                <th scope="col">Details</th>
                <th scope="col">IP address</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap">
                    <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                  </td>
                  <td>{event.actor_name ?? "—"}</td>
                  <td>
                    <span title={event.action}>{ACTION_LABEL[event.action] ?? event.action}</span>
                  </td>
                  <td>
                    {event.site_id ? (
                      <Link href={`/sites/${encodeURIComponent(event.site_id)}`} className="mono">
                        {event.site_id}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="audit__details">{details(event.data)}</td>
                  <td className="mono">{event.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {audit.hasNextPage && (
        <Button onClick={() => void audit.fetchNextPage()} busy={audit.isFetchingNextPage}>
          Load older events
        </Button>
      )}
    </div>
  );
}
