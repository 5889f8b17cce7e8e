// First: the stub appliance, before any app module captures fetch.
import { appliance, json, serve, writes } from "../../../test/stub-appliance";
import { renderWithQueries } from "../../../test/render";
import { render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { ScreenCreated } from "../api/printers-api";
import { groupCode, PairingCode, pairingUrl } from "../components/pairing-code";
import { ScreensPage } from "../components/screens-page";
import { printer } from "./fixtures";

const TOKEN = "kds_Q2x1c3Rlci1wYWlyaW5nLXRva2VuLWZvci10ZXN0cw";

const CREATED: ScreenCreated = {
  id: 3,
  name: "Grill",
  zone_ids: [5],
  expo: false,
  created_at: "2026-12-02T09:00:00Z",
  token: TOKEN,
};

async function qrSource(name: string): Promise<string> {
  const image = await screen.findByRole("img", { name });
  return image.getAttribute("src") ?? "";
}

describe("the pairing code", () => {
  it("links to the kitchen app with the token, which keeps it and pairs itself", () => {
    expect(pairingUrl(TOKEN, "http://10.0.0.2:8000")).toBe(`http://10.0.0.2:8000/kitchen/?pair=${TOKEN}`);
    expect(groupCode("kds_abcdefgh").join("")).toBe("kds_abcdefgh");
    expect(groupCode("kds_abcdefgh")).toEqual(["kds_", "abcd", "efgh"]);
  });

  it("shows the code, the link and a QR image of the link", async () => {
    render(<PairingCode screen={CREATED} />);
    const src = await qrSource("QR code that pairs the screen Grill");
    expect(src).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
    const svg = decodeURIComponent(src.split(",")[1] ?? "");
    expect(svg).toContain("<svg");
    expect(svg).toContain("<path");
    expect(screen.getByTestId("pairing-code")).toHaveTextContent(TOKEN);
    expect(screen.getByTestId("pairing-link")).toHaveAttribute("href", pairingUrl(TOKEN));
  });

  it("draws a different QR code for a different screen", async () => {
    const { unmount } = render(<PairingCode screen={CREATED} />);
    const first = await qrSource("QR code that pairs the screen Grill");
    unmount();
    render(<PairingCode screen={{ ...CREATED, name: "Bar", token: `${TOKEN}x` }} />);
    const second = await qrSource("QR code that pairs the screen Bar");
    expect(second).not.toBe(first);
  });
});

describe("pairing a screen from the dashboard", () => {
  beforeEach(() => {
    appliance.mockReset();
    serve({
      "GET /api/kitchen/screens": () => json(200, []),
      "GET /api/printers/": () =>
        json(200, [printer(5, "Kitchen"), printer(6, "Bar"), printer(7, "Old", { is_active: false })]),
      "POST /api/kitchen/screens": () => json(201, CREATED),
    });
  });

  it("asks for zones before anything is sent", async () => {
    const user = renderWithQueries(<ScreensPage />);
    await user.click(await screen.findByRole("button", { name: "Pair a screen" }));
    const dialog = screen.getByRole("dialog", { name: "Pair a kitchen screen" });
    expect(within(dialog).queryByLabelText("Old")).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Create pairing" }));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("Pick the zones");
    expect(await writes()).toEqual([]);
  });

  it("sends the name and zones, then shows the code big and its QR code", async () => {
    const user = renderWithQueries(<ScreensPage />);
    await user.click(await screen.findByRole("button", { name: "Pair a screen" }));
    const dialog = screen.getByRole("dialog", { name: "Pair a kitchen screen" });
    await user.type(within(dialog).getByLabelText("Screen name"), "Grill");
    await user.click(within(dialog).getByLabelText("Kitchen"));
    await user.click(within(dialog).getByRole("button", { name: "Create pairing" }));

    const paired = await screen.findByRole("dialog", { name: "Pair Grill" });
    expect(within(paired).getByTestId("pairing-code")).toHaveAttribute("data-code", TOKEN);
    expect(await qrSource("QR code that pairs the screen Grill")).toMatch(/^data:image\/svg\+xml/);
    expect(await writes()).toEqual([
      { method: "POST", path: "/api/kitchen/screens", body: { name: "Grill", zone_ids: [5], expo: false } },
    ]);
  });

  it("pairs an expo screen with every zone and a name of its own", async () => {
    const user = renderWithQueries(<ScreensPage />);
    await user.click(await screen.findByRole("button", { name: "Pair a screen" }));
    const dialog = screen.getByRole("dialog", { name: "Pair a kitchen screen" });
    await user.click(within(dialog).getByLabelText(/Expo screen/));
    expect(within(dialog).getByLabelText("Kitchen")).toBeDisabled();
    await user.click(within(dialog).getByRole("button", { name: "Create pairing" }));
    await waitFor(async () =>
      expect(await writes()).toEqual([
        { method: "POST", path: "/api/kitchen/screens", body: { name: "Expo", zone_ids: [], expo: true } },
      ]),
    );
  });

  it("shows the appliance's refusal in the dialog", async () => {
    serve({
      "GET /api/kitchen/screens": () => json(200, []),
      "GET /api/printers/": () => json(200, [printer(5, "Kitchen")]),
      "POST /api/kitchen/screens": () => json(422, { detail: "Zone 5 is not a kitchen zone", code: "UNKNOWN_ZONE" }),
    });
    const user = renderWithQueries(<ScreensPage />);
    await user.click(await screen.findByRole("button", { name: "Pair a screen" }));
    const dialog = screen.getByRole("dialog", { name: "Pair a kitchen screen" });
    await user.click(within(dialog).getByLabelText("Kitchen"));
    await user.click(within(dialog).getByRole("button", { name: "Create pairing" }));
    expect(await within(dialog).findByTestId("pair-error")).toHaveTextContent("Zone 5 is not a kitchen zone");
    expect(within(dialog).queryByTestId("pairing-code")).not.toBeInTheDocument();
  });
});
