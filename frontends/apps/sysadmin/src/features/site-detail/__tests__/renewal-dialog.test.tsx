// First: the stub cloud, before any app module captures fetch.
import { cloud, json, sent, serve } from "../../../shared/test-utils/stub-cloud";
import { screen, waitFor, within } from "@testing-library/react";
import { formatMoney } from "@tavolo/ui";
import { beforeEach, describe, expect, it } from "vitest";
import { renderAt } from "../../../shared/test-utils/render";
import { detail, renewal } from "../../../shared/test-utils/test-data";
import { SiteDetailScreen } from "../components/site-detail-screen";

const SITE = detail({ name: "Taverna Nikos", status: "active" });
const PATH = `/api/sites/${SITE.site_id}`;
const CREATED = renewal({ id: 8, months: 3, amount: 450_000, short_url: "https://rzp.io/i/NEW8" });

type Answer = (request: Request) => Response;

/** The site, its renewals (`list`, read at each request) and the renewal POST's answers, one per attempt. */
function renderSite({ list = [], answers = [] }: { list?: unknown[]; answers?: Answer[] } = {}) {
  const pending = [...answers];
  serve({
    [`GET ${PATH}`]: () => json(200, SITE),
    [`GET ${PATH}/renewals`]: () => json(200, list),
    [`POST ${PATH}/renewals`]: (request) => {
      const answer = pending.shift();
      if (!answer) throw new Error("an unexpected renewal request");
      return answer(request);
    },
  });
  return renderAt(`/sites/${SITE.site_id}`, <SiteDetailScreen siteId={SITE.site_id} />);
}

/** The renewal POSTs sent so far: months and Idempotency-Key. */
async function creations(): Promise<{ months: unknown; key: string | null }[]> {
  const requests = cloud.mock.calls.map(([request]) => request).filter((request) => request.method === "POST");
  return Promise.all(
    requests.map(async (request) => ({
      months: ((await request.clone().json()) as { months: unknown }).months,
      key: request.headers.get("Idempotency-Key"),
    })),
  );
}

async function openDialog(user: ReturnType<typeof renderSite>["user"]) {
  await user.click(await screen.findByRole("button", { name: "Create renewal link" }));
  return screen.getByRole("dialog", { name: "Create a renewal link for Taverna Nikos" });
}

beforeEach(() => {
  cloud.mockReset();
});

describe("creating a renewal link", () => {
  it("sends the months chosen with an idempotency key, shows the link to send, and the list refreshes", async () => {
    const list: unknown[] = [];
    const { user } = renderSite({
      list,
      answers: [
        () => {
          list.push(CREATED);
          return json(201, CREATED);
        },
      ],
    });
    const dialog = await openDialog(user);
    expect(within(dialog).getByLabelText("Months")).toHaveFocus();
    expect(within(dialog).getByRole("button", { name: "12 months" })).toHaveAttribute("aria-pressed", "true");
    await user.click(within(dialog).getByRole("button", { name: "3 months" }));
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));

    const result = await within(dialog).findByTestId("renewal-result");
    expect(within(result).getByTestId("renewal-url")).toHaveTextContent("https://rzp.io/i/NEW8");
    expect(within(result).getByTestId("renewal-amount")).toHaveTextContent(formatMoney(450_000, "INR"));
    expect(within(result).getByText("3 months")).toBeInTheDocument();
    expect(within(result).getByRole("link", { name: "Open" })).toHaveAttribute("href", "https://rzp.io/i/NEW8");
    expect(within(result).queryByText("This link had already been made")).not.toBeInTheDocument();
    await user.click(within(result).getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe("https://rzp.io/i/NEW8");

    const [created] = await creations();
    expect(created?.months).toBe(3);
    expect(created?.key).toMatch(/^[0-9a-f-]{36}$/);

    // The card read the list again: the new link is there, and waiting at the top.
    expect(await screen.findByTestId("renewal-row")).toHaveAttribute("data-status", "created");
    await user.click(within(dialog).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(within(screen.getByTestId("open-renewal")).getByTestId("renewal-url")).toHaveTextContent(
      "https://rzp.io/i/NEW8",
    );
  });

  it("takes any whole number of months from 1 to 36 and refuses the rest before sending", async () => {
    const { user } = renderSite({ answers: [() => json(201, renewal({ id: 9, months: 24 }))] });
    const dialog = await openDialog(user);
    const months = within(dialog).getByLabelText("Months");
    for (const wrong of ["0", "37", "2.5", ""]) {
      await user.clear(months);
      if (wrong) await user.type(months, wrong);
      await user.click(within(dialog).getByRole("button", { name: "Create link" }));
      expect(within(dialog).getByText("Enter a whole number of months from 1 to 36.")).toBeInTheDocument();
      expect(months).toHaveAttribute("aria-invalid", "true");
    }
    expect((await sent()).filter((request) => request.method === "POST")).toEqual([]);

    await user.clear(months);
    await user.type(months, "24");
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    expect(await within(dialog).findByTestId("renewal-result")).toBeInTheDocument();
    expect((await creations()).map((c) => c.months)).toEqual([24]);
  });

  it("shows the cloud's own reason when billing is not configured", async () => {
    const { user } = renderSite({
      answers: [
        () =>
          json(503, {
            detail: "RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET are not set",
            code: "BILLING_NOT_CONFIGURED",
          }),
      ],
    });
    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    const error = await within(dialog).findByTestId("action-error");
    expect(error).toHaveTextContent("No link was created");
    expect(error).toHaveTextContent("RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET are not set");
    expect(within(dialog).queryByTestId("renewal-result")).not.toBeInTheDocument();
  });

  it("retries the same months with the same key and says when the link had already been made", async () => {
    const { user } = renderSite({
      answers: [
        () => json(502, { detail: "Razorpay did not answer; try again", code: "PAYMENT_GATEWAY_UNAVAILABLE" }),
        () => json(200, CREATED),
      ],
    });
    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole("button", { name: "3 months" }));
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    expect(await within(dialog).findByTestId("action-error")).toHaveTextContent("Razorpay did not answer; try again");

    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    expect(await within(dialog).findByText("This link had already been made")).toBeInTheDocument();
    const [first, retry] = await creations();
    expect(retry?.key).toBe(first?.key);
  });

  it("uses a new key once the months change, and for each new opening of the dialog", async () => {
    const refused = () =>
      json(502, { detail: "Razorpay refused the payment link: bad", code: "PAYMENT_GATEWAY_REJECTED" });
    const { user } = renderSite({ answers: [refused, refused, refused] });
    let dialog = await openDialog(user);
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    await within(dialog).findByTestId("action-error");
    await user.click(within(dialog).getByRole("button", { name: "6 months" }));
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    await waitFor(async () => expect(await creations()).toHaveLength(2));
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));

    dialog = await openDialog(user);
    await user.click(within(dialog).getByRole("button", { name: "6 months" }));
    await user.click(within(dialog).getByRole("button", { name: "Create link" }));
    await waitFor(async () => expect(await creations()).toHaveLength(3));
    const sentRequests = await creations();
    expect(sentRequests.map((c) => c.months)).toEqual([12, 6, 6]);
    expect(new Set(sentRequests.map((c) => c.key)).size).toBe(3);
  });

  it("warns that a link is already waiting to be paid", async () => {
    const { user } = renderSite({ list: [renewal({ id: 5, months: 12 })] });
    await screen.findByTestId("open-renewal");
    const dialog = await openDialog(user);
    expect(within(dialog).getByTestId("renewal-open-notice")).toHaveTextContent("12 months");
  });
});
