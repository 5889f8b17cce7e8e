// Rendering a screen the way main.tsx does: inside a QueryClientProvider (no retries, so a refusal shows at
// once) and a router, here on an in-memory location that the test can read back.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactElement } from "react";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";

export function renderAt(path: string, ui: ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const location = memoryLocation({ path, record: true });
  const result = render(
    <QueryClientProvider client={client}>
      <Router hook={location.hook} searchHook={location.searchHook}>
        {ui}
      </Router>
    </QueryClientProvider>,
  );
  // userEvent.setup() also stands in a clipboard for navigator.clipboard.
  return { ...result, user: userEvent.setup(), history: location.history, client };
}
