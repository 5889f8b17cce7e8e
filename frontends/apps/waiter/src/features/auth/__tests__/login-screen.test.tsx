import { NetworkError } from "@tavolo/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sessionStore } from "../../../lib/session";
import { LoginScreen } from "../components/login-screen";

const mocks = vi.hoisted(() => ({ GET: vi.fn(), POST: vi.fn() }));
vi.mock("../../../lib/api", () => ({ api: mocks }));

// Like openapi-fetch: the body is parsed into data / error and the response's own body is spent.
async function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const response = new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
  await response.text();
  return status < 400 ? { data: body, response } : { error: body, response };
}

const PAIR = {
  access_token: "a",
  refresh_token: "r",
  token_type: "bearer",
  expires_in: 28800,
  user: { id: 2, username: "maria", display_name: "Maria", role: "waiter", is_active: true, created_at: "" },
};

async function enter(username: string, pin: string) {
  const user = userEvent.setup();
  const field = screen.getByTestId("login-username");
  await user.clear(field);
  if (username) await user.type(field, username);
  for (const digit of pin) await user.click(screen.getByTestId(`pin-key-${digit}`));
  await user.click(screen.getByTestId("login-submit"));
}

function renderLogin() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <LoginScreen />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  localStorage.clear();
  sessionStore.set(null);
  mocks.GET.mockImplementation(() =>
    answer(200, { restaurant_name: "Taverna Demo", currency: "EUR", timezone: "UTC", version: "1" }),
  );
  mocks.POST.mockReset();
});
afterEach(cleanup);

describe("LoginScreen", () => {
  it("signs in with username and PIN and remembers the username", async () => {
    mocks.POST.mockImplementation(() => answer(200, PAIR));
    renderLogin();
    await enter("maria", "1111");
    expect(mocks.POST).toHaveBeenCalledWith("/api/auth/login", { body: { username: "maria", pin: "1111" } });
    expect(sessionStore.get()?.username).toBe("maria");
    expect(localStorage.getItem("tavolo.lastUsername")).toBe("maria");
  });

  it("says so on a wrong PIN and clears the PIN", async () => {
    mocks.POST.mockImplementation(() => answer(401, { detail: "Wrong username or PIN", code: "INVALID_CREDENTIALS" }));
    renderLogin();
    await enter("maria", "9999");
    expect(await screen.findByTestId("login-error")).toHaveTextContent("Wrong username or PIN");
    expect(screen.getByTestId("pin-display")).toHaveAttribute("data-length", "0");
    expect(sessionStore.get()).toBeNull();
  });

  it("tells a locked-out waiter when to try again", async () => {
    mocks.POST.mockImplementation(() =>
      answer(429, { detail: "Too many wrong PINs; try again in 5 min", code: "PIN_LOCKED" }, { "Retry-After": "300" }),
    );
    renderLogin();
    await enter("maria", "9999");
    const error = await screen.findByTestId("login-error");
    expect(error).toHaveTextContent("locked");
    expect(error).toHaveTextContent("in 5 min");
  });

  it("says when the appliance cannot be reached", async () => {
    mocks.POST.mockImplementation(() => Promise.reject(new NetworkError()));
    renderLogin();
    await enter("maria", "1111");
    expect(await screen.findByTestId("login-error")).toHaveTextContent("Can't reach the Tavolo appliance");
  });

  it("asks for the PIN before sending a short one", async () => {
    renderLogin();
    await enter("maria", "12");
    expect(screen.getByTestId("login-error")).toHaveTextContent("Enter your PIN");
    expect(mocks.POST).not.toHaveBeenCalled();
  });

  it("starts with the last username on this phone", async () => {
    localStorage.setItem("tavolo.lastUsername", "nikos");
    renderLogin();
    expect(screen.getByTestId("login-username")).toHaveValue("nikos");
    expect(await screen.findByText("Taverna Demo")).toBeInTheDocument();
  });
});
