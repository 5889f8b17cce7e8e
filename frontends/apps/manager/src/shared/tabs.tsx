// The tabs of a screen with nested routes (printers, reports): links, so each page can be linked to and the
// back button works; the current one is marked for screen readers too (aria-current).
import { Link, useRoute } from "wouter";
import "./tabs.css";

export interface Tab {
  href: string;
  label: string;
  /** A route below the tab that also makes it current ("/shifts/*" under "/shifts"). */
  also?: string;
}

function TabLink({ href, label, also, search }: Tab & { search?: string }) {
  const [exact] = useRoute(href);
  const [nested] = useRoute(also ?? "/__none__");
  return (
    <Link
      href={search ? `${href}?${search}` : href}
      className="tabs__link"
      aria-current={exact || nested ? "page" : undefined}
    >
      {label}
    </Link>
  );
}

/** `search` (without "?") goes along to every tab: a screen whose pages share a query (a period) keeps it. */
export function Tabs({ label, tabs, search }: { label: string; tabs: Tab[]; search?: string }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <TabLink key={tab.href} {...tab} search={search} />
      ))}
    </nav>
  );
}
