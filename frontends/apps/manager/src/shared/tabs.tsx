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

function TabLink({ href, label, also }: Tab) {
  const [exact] = useRoute(href);
  const [nested] = useRoute(also ?? "/__none__");
  return (
    <Link href={href} className="tabs__link" aria-current={exact || nested ? "page" : undefined}>
      {label}
    </Link>
  );
}

export function Tabs({ label, tabs }: { label: string; tabs: Tab[] }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <TabLink key={tab.href} {...tab} />
      ))}
    </nav>
  );
}
