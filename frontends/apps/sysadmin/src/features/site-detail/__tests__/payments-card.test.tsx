// First: the stub cloud, before any app module captures fetch.
import { cloud, json, serve } from "../../../shared/test-utils/stub-cloud";
import { screen, within } from "@testing-library/react";
import { formatMoney } from "@tavolo/ui";
import { beforeEach, describe, expect, it } from "vitest";
import { formatPaidThrough } from "../../../lib/format";
import { renderAt } from "../../../shared/test-utils/render";
import { detail, renewal } from "../../../shared/test-utils/test-data";
import { SiteDetailScreen } from "../components/site-detail-screen";

const SITE = detail({ name: "Taverna Nikos", status: "active" });
const PATH = `/api/sites/${SITE.site_id}`;

const PAID = renewal({
  id: 4,
  months: 3,
  amount: 450_000,
  status: "paid",
  created_at: "2030-05-01T09:00:00Z",
  paid_at: "2030-05-02T10:30:00Z",
  amount_paid: 450_000,
  razorpay_payment_id: "pay_T0001",
  extended_from: "2031-01-31T23:59:59Z",
  extended_to: "2031-04-30T23:59:59Z",
});
const EXPIRED = renewal({ id: 3, months: 1, amount: 150_000, status: "expired", created_at: "2030-03-01T09:00:00Z" });
const CANCELLED = renewal({ id: 2, status: "cancelled", created_at: "2030-02-01T09:00:00Z", created_by: "system" });
const OPEN = renewal({ id: 5, months: 12, amount: 1_800_000, created_at: "2030-06-01T09:00:00Z" });

function renderSite(renewals: unknown, status = 200) {
  serve({ [`GET ${PATH}`]: () => json(200, SITE), [`GET ${PATH}/renewals`]: () => json(status, renewals) });
  return renderAt(`/sites/${SITE.site_id}`, <SiteDetailScreen siteId={SITE.site_id} />);
}

const card = () => screen.getByTestId("payments-card");

beforeEach(() => {
  cloud.mockReset();
});

describe("the payments card", () => {
  it("lists the renewals newest first: amount, status in words, payment and the paid-through extension", async () => {
    renderSite([PAID, EXPIRED, CANCELLED]);
    const rows = await screen.findAllByTestId("renewal-row");
    expect(rows.map((row) => row.dataset.status)).toEqual(["paid", "expired", "cancelled"]);
    expect(rows.map((row) => within(row).getByTestId("renewal-status").textContent)).toEqual([
      "Paid",
      "Expired",
      "Cancelled",
    ]);

    const paid = rows[0]!;
    expect(within(paid).getByText(formatMoney(450_000, "INR"))).toHaveAttribute("data-amount", "450000");
    expect(within(paid).getByTestId("renewal-payment-id")).toHaveTextContent("pay_T0001");
    expect(within(paid).getByTestId("renewal-extension")).toHaveTextContent(
      `${formatPaidThrough(PAID.extended_from)} → ${formatPaidThrough(PAID.extended_to)}`,
    );
    expect(paid.querySelector(`time[datetime="${PAID.paid_at}"]`)).not.toBeNull();
    expect(within(paid).getByText("by Vendor Admin")).toBeInTheDocument();

    // Nothing paid: no payment, no extension; the renewal job is named as such.
    expect(within(rows[1]!).getByTestId("renewal-payment-id")).toHaveTextContent("—");
    expect(within(rows[1]!).getByTestId("renewal-extension")).toHaveTextContent("—");
    expect(within(rows[2]!).getByText("by system")).toBeInTheDocument();
    // No link is waiting to be paid.
    expect(screen.queryByTestId("open-renewal")).not.toBeInTheDocument();
  });

  it("shows the link waiting to be paid at its top, with Copy and Open", async () => {
    const { user } = renderSite([OPEN, PAID]);
    const open = await screen.findByTestId("open-renewal");
    expect(open).toHaveTextContent("12 months");
    expect(open).toHaveTextContent(formatMoney(1_800_000, "INR"));
    expect(within(open).getByTestId("renewal-url")).toHaveTextContent(OPEN.short_url);
    const link = within(open).getByRole("link", { name: "Open" });
    expect(link).toHaveAttribute("href", OPEN.short_url);
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noopener noreferrer");

    await user.click(within(open).getByRole("button", { name: "Copy" }));
    expect(await within(open).findByTestId("renewal-copy-status")).toHaveTextContent("Copied to the clipboard.");
    expect(await navigator.clipboard.readText()).toBe(OPEN.short_url);
    expect(screen.getAllByTestId("renewal-status")[0]).toHaveTextContent("Awaiting payment");
  });

  it("does not offer a link that has run out, even before Razorpay says so", async () => {
    renderSite([renewal({ id: 9, expire_by: "2001-01-01T00:00:00Z" })]);
    expect(await screen.findByTestId("renewal-row")).toHaveAttribute("data-status", "created");
    expect(screen.queryByTestId("open-renewal")).not.toBeInTheDocument();
  });

  it("never makes a link of an address that is not http(s)", async () => {
    renderSite([renewal({ id: 7, short_url: "javascript:alert(1)" })]);
    const open = await screen.findByTestId("open-renewal");
    expect(within(open).getByTestId("renewal-url")).toHaveTextContent("javascript:alert(1)");
    expect(within(open).queryByRole("link")).not.toBeInTheDocument();
  });

  it("says when the site has no renewal yet", async () => {
    renderSite([]);
    expect(await within(await screen.findByTestId("payments-card")).findByText(/No renewal yet/)).toBeInTheDocument();
    expect(screen.queryByTestId("renewal-table")).not.toBeInTheDocument();
  });

  it("shows why the payments could not be loaded, and retries", async () => {
    const { user } = renderSite({ detail: "Not authorized for this site", code: "FORBIDDEN" }, 403);
    expect(await within(await screen.findByTestId("payments-card")).findByRole("alert")).toHaveTextContent(
      "Not authorized for this site",
    );
    serve({ [`GET ${PATH}`]: () => json(200, SITE), [`GET ${PATH}/renewals`]: () => json(200, [PAID]) });
    await user.click(within(card()).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("renewal-row")).toHaveAttribute("data-status", "paid");
    expect(within(card()).queryByRole("alert")).not.toBeInTheDocument();
  });
});
