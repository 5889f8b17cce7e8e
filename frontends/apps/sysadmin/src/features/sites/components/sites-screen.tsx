import { Banner, Button, EmptyState, Spinner, useNow } from "@tavolo/ui";
import { Link, useLocation } from "wouter";
import { describeError } from "../../../lib/errors";
import { formatDateTime } from "../../../lib/format";
import { useTitle } from "../../../lib/use-title";
import { STATUS_LABEL } from "../../../shared/site-status";
import { SORTS, useSiteFilter } from "../hooks/use-site-filter";
import { useSites, useSummary } from "../hooks/use-sites";
import { SearchBox } from "./search-box";
import { SiteCard } from "./site-card";
import { SummaryTiles } from "./summary-tiles";
import "./sites.css";

export function SitesScreen() {
  useTitle("Sites");
  const [filter, setFilter] = useSiteFilter();
  const summary = useSummary();
  const sites = useSites(filter);
  const now = useNow(30_000);
  const filtered = filter.status !== null || filter.q !== "";
  const [, navigate] = useLocation();

  return (
    <div className="sites">
      <div className="page-head">
        <h1 tabIndex={-1}>Sites</h1>
        <Button variant="primary" onClick={() => navigate("/register")}>
          Register site
        </Button>
      </div>
      <SummaryTiles summary={summary.data} selected={filter.status} onSelect={(status) => setFilter({ status })} />
      <div className="sites__tools">
        <SearchBox value={filter.q} onSearch={(q) => setFilter({ q })} />
        <label className="field sites__sort">
          <span className="field__label">Sort</span>
          <select value={filter.sort} onChange={(event) => setFilter({ sort: event.target.value as typeof filter.sort })}>
            {SORTS.map((sort) => (
              <option key={sort.value} value={sort.value}>
                {sort.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="sites__meta" role="status" data-testid="sites-meta">
        {sites.data && describeList(sites.data.length, filter)}
        {sites.dataUpdatedAt > 0 && (
          <span className="sites__updated"> · updated {formatDateTime(new Date(sites.dataUpdatedAt).toISOString())}</span>
        )}
      </p>
      {sites.isError && (
        <Banner
          tone="error"
          title="The sites could not be loaded"
          action={
            <Button onClick={() => void sites.refetch()} busy={sites.isFetching}>
              Retry
            </Button>
          }
        >
          {describeError(sites.error)}
        </Banner>
      )}
      {sites.isPending && !sites.isError && <Spinner label="Loading sites" />}
      {sites.data && sites.data.length === 0 && (
        <EmptyState
          title={filtered ? "No site matches" : "No sites yet"}
          action={
            filtered ? (
              <Button onClick={() => setFilter({ status: null, q: "" })}>Show all sites</Button>
            ) : (
              <Link href="/register">Register the first site</Link>
            )
          }
          data-testid="sites-empty"
        >
          {filtered ? "Try another status or search." : "A restaurant's appliance needs a site ID and key to heartbeat."}
        </EmptyState>
      )}
      {sites.data && sites.data.length > 0 && (
        <ul className="sites__grid" aria-busy={sites.isPlaceholderData || undefined} data-testid="site-list">
          {sites.data.map((site) => (
            <li key={site.site_id}>
              <SiteCard site={site} now={now} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function describeList(count: number, filter: { status: keyof typeof STATUS_LABEL | null; q: string }): string {
  const sites = count === 1 ? "1 site" : `${count} sites`;
  const parts = [sites];
  if (filter.status) parts.push(STATUS_LABEL[filter.status].toLowerCase());
  if (filter.q) parts.push(`matching “${filter.q}”`);
  return parts.join(", ");
}
