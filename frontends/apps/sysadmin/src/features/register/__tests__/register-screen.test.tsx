// First: the stub cloud, before any app module captures fetch.
import { cloud, json, sent, serve } from "../../../shared/test-utils/stub-cloud";
import { screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderAt } from "../../../shared/test-utils/render";
import { site } from "../../../shared/test-utils/test-data";
import { RegisterScreen } from "../components/register-screen";

const SECRET = "sk_live_5up3r-s3cr3t";
const CREATED = { ...site({ name: "Taverna Nikos", status: "never_seen", last_seen_at: null }), secret_key: SECRET };

async function fillAndRegister(user: ReturnType<typeof renderAt>["user"], { grace = "" } = {}) {
  await user.type(screen.getByLabelText("Name"), "Taverna Nikos");
  await user.type(screen.getByLabelText("Owner"), "Nikos Georgiou");
  await user.type(screen.getByLabelText("Contact email"), "nikos@example.com");
  await user.type(screen.getByLabelText("Paid through"), "2031-01-31");
  if (grace) await user.type(screen.getByLabelText(/Grace hours/), grace);
  await user.click(screen.getByRole("button", { name: "Register site" }));
}

beforeEach(() => {
  cloud.mockReset();
  serve({ "POST /api/sites/": () => json(201, CREATED) });
});

afterEach(() => {
  window.getSelection()?.removeAllRanges();
});

describe("registering a site", () => {
  it("sends the site and shows its ID and secret key once, with the appliance's settings", async () => {
    const { user } = renderAt("/register", <RegisterScreen />);
    await fillAndRegister(user, { grace: "48" });

    expect(await screen.findByTestId("site-secret")).toHaveTextContent(SECRET);
    expect(screen.getByTestId("site-id")).toHaveTextContent(CREATED.site_id);
    expect(screen.getByText(/it will not be shown again/)).toBeInTheDocument();
    expect(screen.getByTestId("site-env").textContent).toBe(
      `SITE_ID=${CREATED.site_id}\nSITE_KEY=${SECRET}\nCLOUD_URL=${location.origin}`,
    );
    const [request] = await sent();
    expect(request).toMatchObject({
      method: "POST",
      url: "/api/sites/",
      body: {
        name: "Taverna Nikos",
        owner_name: "Nikos Georgiou",
        contact_email: "nikos@example.com",
        license_expires_at: "2031-01-31T23:59:59Z",
        grace_hours: 48,
      },
    });
  });

  it("leaves the grace hours to the cloud when the field is empty", async () => {
    const { user } = renderAt("/register", <RegisterScreen />);
    await fillAndRegister(user);
    await screen.findByTestId("site-secret");
    const [request] = await sent();
    expect(request?.body).not.toHaveProperty("grace_hours");
  });

  it("copies the settings to the clipboard", async () => {
    const { user } = renderAt("/register", <RegisterScreen />);
    await fillAndRegister(user);
    await user.click(await screen.findByRole("button", { name: "Copy" }));
    expect(await screen.findByTestId("copy-status")).toHaveTextContent("Copied to the clipboard.");
    expect(await navigator.clipboard.readText()).toBe(screen.getByTestId("site-env").textContent);
  });

  it("selects the settings for Ctrl+C where the browser has no clipboard API (plain HTTP)", async () => {
    const { user } = renderAt("/register", <RegisterScreen />);
    await fillAndRegister(user);
    const copy = await screen.findByRole("button", { name: "Copy" });
    const clipboard = Object.getOwnPropertyDescriptor(window.navigator, "clipboard");
    Object.defineProperty(window.navigator, "clipboard", { value: undefined, configurable: true });
    try {
      await user.click(copy);
      expect(await screen.findByTestId("copy-status")).toHaveTextContent("press Ctrl+C");
      expect(window.getSelection()?.toString()).toContain(SECRET);
    } finally {
      if (clipboard) Object.defineProperty(window.navigator, "clipboard", clipboard);
    }
  });

  it("points at a missing field instead of sending", async () => {
    const { user } = renderAt("/register", <RegisterScreen />);
    await user.type(screen.getByLabelText("Name"), "Taverna Nikos");
    await user.type(screen.getByLabelText("Owner"), "Nikos Georgiou");
    await user.type(screen.getByLabelText("Paid through"), "2031-01-31");
    await user.click(screen.getByRole("button", { name: "Register site" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Enter a contact email address");
    expect(screen.getByLabelText("Contact email")).toHaveFocus();
    expect(screen.getByLabelText("Contact email")).toHaveAttribute("aria-invalid", "true");
    expect(cloud).not.toHaveBeenCalled();
  });

  it("shows the cloud's reason when it refuses the site", async () => {
    serve({
      "POST /api/sites/": () =>
        json(422, { detail: "contact_email: String should match pattern", code: "VALIDATION_ERROR" }),
    });
    const { user } = renderAt("/register", <RegisterScreen />);
    await fillAndRegister(user);
    await waitFor(() => expect(screen.getByTestId("action-error")).toHaveTextContent("String should match pattern"));
    expect(screen.queryByTestId("site-secret")).not.toBeInTheDocument();
  });
});
