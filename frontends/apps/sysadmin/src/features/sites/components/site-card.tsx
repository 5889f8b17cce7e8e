import type { SiteRead } from "@tavolo/api";
import { Link } from "wouter";
import { formatDateTime, formatPaidThrough, formatRelative } from "../../../lib/format";
import { StatusBadge } from "../../../shared/site-status";

const SOON_MS = 7 * 24 * 3_600_000;

/** One site in the overview: the whole card opens it, the link inside is named by the site's name. */
export function SiteCard({ site, now }: { site: SiteRead; now: number }) {
  const expiresAt = Date.parse(site.license_expires_at);
  const expiringSoon = site.status === "active" && expiresAt - now < SOON_MS;
  return (
    <article className={`site-card site-card--${site.status}`} data-testid="site-card" data-site-id={site.site_id}>
      <div className="site-card__top">
        <StatusBadge status={site.status} data-testid="site-card-status" />
        <span className="site-card__id">{site.site_id}</span>
      </div>
      <h2 className="site-card__name">
        <Link href={`/sites/${site.site_id}`} className="site-card__link">
          {site.name}
        </Link>
      </h2>
      <p className="site-card__owner">{site.owner_name}</p>
      {site.is_locked && site.lock_reason && <p className="site-card__reason">Locked: {site.lock_reason}</p>}
      <dl className="site-card__facts">
        <div>
          <dt>Paid through</dt>
          <dd>
            <time dateTime={site.license_expires_at}>{formatPaidThrough(site.license_expires_at)}</time>
            {expiringSoon && (
              <span className="site-card__soon"> · ends {formatRelative(site.license_expires_at, now)}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            {site.last_seen_at ? (
              <time dateTime={site.last_seen_at} title={formatDateTime(site.last_seen_at)}>
                {formatRelative(site.last_seen_at, now)}
              </time>
            ) : (
              "Never"
            )}
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{site.last_version ?? "—"}</dd>
        </div>
      </dl>
    </article>
  );
}
