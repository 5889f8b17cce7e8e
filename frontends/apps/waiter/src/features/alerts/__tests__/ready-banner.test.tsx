import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { readyStore } from "../../../lib/live";
import { ReadyBanner } from "../components/ready-banner";

afterEach(() => {
  cleanup();
  readyStore.set([]);
});

function renderBanner() {
  const queryClient = new QueryClient();
  queryClient.setQueryData(["tables"], [{ id: 5, label: "T5" }]);
  return render(
    <QueryClientProvider client={queryClient}>
      <ReadyBanner />
    </QueryClientProvider>,
  );
}

describe("ReadyBanner", () => {
  it("is absent until the kitchen finishes something", () => {
    renderBanner();
    expect(screen.queryByTestId("ready-banner")).not.toBeInTheDocument();
  });

  it("names the table, links to its order and goes away when dismissed", async () => {
    renderBanner();
    act(() => readyStore.set([{ orderId: 42, tableId: 5, at: 0 }]));
    expect(screen.getByTestId("ready-notice")).toHaveTextContent("T5 ready to run");
    expect(screen.getByRole("link")).toHaveAttribute("href", "/order/42");
    await userEvent.click(screen.getByRole("button", { name: "Dismiss T5" }));
    expect(screen.queryByTestId("ready-banner")).not.toBeInTheDocument();
  });
});
