import { ApiError, type SiteDetail } from "@tavolo/api";
import { Banner, Button, EmptyState, Spinner, useNow } from "@tavolo/ui";
import { useState, type ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { describeError } from "../../../lib/errors";
import { formatDateTime, formatPaidThrough, formatRelative, formatUptime } from "../../../lib/format";
import { useTitle } from "../../../lib/use-title";
import { StatusBadge } from "../../../shared/site-status";
import { unlockSite } from "../api/site-api";
import { useSite } from "../hooks/use-site";
import { useSiteAction } from "../hooks/use-site-action";
import { AlertList } from "./alert-list";
import { DeregisterDialog } from "./deregister-dialog";
import { EditDialog } from "./edit-dialog";
import { ExtendDialog } from "./extend-dialog";
import { HeartbeatTable } from "./heartbeat-table";
import { LockDialog } from "./lock-dialog";
import { PaymentsCard } from "./payments-card";
import { RotateKeyDialog } from "./rotate-key-dialog";
import "./site-detail.css";

type Dialog = "lock" | "extend" | "edit" | "rotate" | "deregister" | null;

export function SiteDetailScreen({ siteId }: { siteId: string }) {
  const site = useSite(siteId);
  useTitle(site.data?.name ?? "Site");

  if (site.data) return <SiteView site={site.data} />;
  if (site.isError) {
    const missing = site.error instanceof ApiError && site.error.status === 404;
    return (
      <div className="detail">
        <BackLink />
        {missing ? (
          <EmptyState title="No such site" action={<Link href="/">All sites</Link>} data-testid="site-missing">
            It may have been deregistered.
          </EmptyState>
        ) : (
          <Banner
            tone="error"
            title="The site could not be loaded"
            action={
              <Button onClick={() => void site.refetch()} busy={site.isFetching}>
                Retry
              </Button>
            }
          >
            {describeError(site.error)}
          </Banner>
        )}
      </div>
    );
  }
  return <Spinner label="Loading the site" />;
}

function BackLink() {
  return (
    <Link href="/" className="detail__back">
      ← All sites
    </Link>
  );
}

function SiteView({ site }: { site: SiteDetail }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [, navigate] = useLocation();
  const now = useNow(30_000);
  const unlock = useSiteAction(site.site_id, () => unlockSite(site.site_id));
  const close = () => setDialog(null);

  return (
    <div className="detail" data-testid="site-detail" data-site-id={site.site_id}>
      <BackLink />
      <div className="detail__head">
        <div className="detail__title">
          <h1 tabIndex={-1}>{site.name}</h1>
          <StatusBadge status={site.status} data-testid="site-status" />
        </div>
        <p className="detail__sub">
          <span className="mono">{site.site_id}</span> · {site.owner_name}
        </p>
      </div>

      <StatusBanner site={site} now={now} />

      <div className="actions" role="group" aria-label="Actions">
        {site.is_locked ? (
          <Button variant="primary" busy={unlock.isPending} onClick={() => unlock.mutate(undefined)}>
            Unlock
          </Button>
        ) : (
          <Button variant="danger" onClick={() => setDialog("lock")}>
            Lock
          </Button>
        )}
        <Button onClick={() => setDialog("extend")}>Extend</Button>
        <Button onClick={() => setDialog("edit")}>Edit details</Button>
        <Button onClick={() => setDialog("rotate")}>Rotate key</Button>
        <Button variant="ghost" className="actions__danger" onClick={() => setDialog("deregister")}>
          Deregister
        </Button>
      </div>
      {unlock.isError && (
        <Banner tone="error" title="The site was not unlocked" data-testid="action-error">
          {describeError(unlock.error)}
        </Banner>
      )}

      <div className="detail__grid">
        <Section title="License">
          <Fact label="Status">
            <StatusBadge status={site.status} />
          </Fact>
          <Fact label="Paid through" testId="paid-through">
            <time dateTime={site.license_expires_at}>{formatPaidThrough(site.license_expires_at)}</time>{" "}
            <span className="muted">({formatRelative(site.license_expires_at, now)})</span>
          </Fact>
          <Fact label="Lease ends">
            <When iso={site.lease_expires_at} now={now} none="No lease issued yet" />
          </Fact>
          <Fact label="Grace">{site.grace_hours} h</Fact>
          {/* The reason itself is in the banner above, once. */}
          {site.is_locked && (
            <Fact label="Locked">
              <When iso={site.locked_at} now={now} none="—" />
            </Fact>
          )}
        </Section>
        <Section title="Appliance">
          <Fact label="Last seen">
            <When iso={site.last_seen_at} now={now} none="Never" />
          </Fact>
          {site.stale_since && (
            <Fact label="Stale since">
              <When iso={site.stale_since} now={now} none="—" />
            </Fact>
          )}
          <Fact label="IP address">
            <span className="mono">{site.last_seen_ip ?? "—"}</span>
          </Fact>
          <Fact label="Version">{site.last_version ?? "—"}</Fact>
          <Fact label="Uptime">{formatUptime(site.last_uptime_seconds)}</Fact>
          <Fact label="Heartbeats">{site.heartbeat_count}</Fact>
        </Section>
        <Section title="Contact">
          <Fact label="Owner">{site.owner_name}</Fact>
          <Fact label="Email">
            <a href={`mailto:${site.contact_email}`}>{site.contact_email}</a>
          </Fact>
          <Fact label="Registered">{formatDateTime(site.created_at)}</Fact>
          <Fact label="Updated">{formatDateTime(site.updated_at)}</Fact>
        </Section>
      </div>

      <PaymentsCard site={site} />

      <section className="detail__section" aria-labelledby="heartbeats-title">
        <h2 id="heartbeats-title">Heartbeat history</h2>
        <HeartbeatTable heartbeats={site.recent_heartbeats} total={site.heartbeat_count} />
      </section>

      <section className="detail__section" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Alerts</h2>
        <AlertList alerts={site.alerts} />
      </section>

      <p>
        <Link href={`/audit?site_id=${encodeURIComponent(site.site_id)}`}>Audit log of this site</Link>
      </p>

      <LockDialog site={site} open={dialog === "lock"} onClose={close} />
      <ExtendDialog site={site} open={dialog === "extend"} onClose={close} />
      {dialog === "edit" && <EditDialog site={site} onClose={close} />}
      {dialog === "rotate" && <RotateKeyDialog site={site} onClose={close} />}
      {dialog === "deregister" && <DeregisterDialog site={site} onClose={close} onGone={() => navigate("/")} />}
    </div>
  );
}

function StatusBanner({ site, now }: { site: SiteDetail; now: number }) {
  switch (site.status) {
    case "locked":
      return (
        <Banner tone="error" role="status" title="Locked" data-testid="status-banner">
          {site.lock_reason ?? "No reason given."}
          {site.locked_at && ` · since ${formatDateTime(site.locked_at)}`}
        </Banner>
      );
    case "expired":
      return (
        <Banner tone="warn" title="License expired" data-testid="status-banner">
          Paid through {formatPaidThrough(site.license_expires_at)}. Extend it to let the appliance take orders again.
        </Banner>
      );
    case "stale":
      return (
        <Banner tone="warn" title="No recent heartbeat" data-testid="status-banner">
          Last seen {formatRelative(site.last_seen_at, now)}
          {site.stale_since && `; stale since ${formatDateTime(site.stale_since)}`}.
        </Banner>
      );
    case "never_seen":
      return (
        <Banner tone="info" title="Not seen yet" data-testid="status-banner">
          The appliance has not heartbeated: give it this site ID and its key (SITE_ID, SITE_KEY, CLOUD_URL).
        </Banner>
      );
    default:
      return null;
  }
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="facts">
      <h2 className="facts__title">{title}</h2>
      <dl className="facts__list">{children}</dl>
    </section>
  );
}

function Fact({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function When({ iso, now, none }: { iso: string | null; now: number; none: string }) {
  if (!iso) return <>{none}</>;
  return (
    <time dateTime={iso}>
      {formatDateTime(iso)} <span className="muted">({formatRelative(iso, now)})</span>
    </time>
  );
}
