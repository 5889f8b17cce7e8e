import "@testing-library/jest-dom/vitest";
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createStore, useStore, type Store } from "../store";

afterEach(cleanup);

describe("createStore", () => {
  it("sets a value or an update from the current one", () => {
    const store = createStore(1);
    store.set(5);
    store.set((prev) => prev * 2);
    expect(store.get()).toBe(10);
  });

  it("notifies on a change only, and no longer after unsubscribing", () => {
    const store = createStore({ n: 1 });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.set(store.get());
    store.set((prev) => prev);
    expect(listener).not.toHaveBeenCalled();
    store.set({ n: 2 });
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    store.set({ n: 3 });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("does not call a listener subscribed during a notification in the same round", () => {
    const store = createStore(0);
    const late = vi.fn();
    store.subscribe(() => {
      store.subscribe(late);
    });
    store.set(1);
    expect(late).not.toHaveBeenCalled();
    store.set(2);
    expect(late).toHaveBeenCalledTimes(1);
  });
});

describe("useStore", () => {
  function Count({ store }: { store: Store<number> }) {
    return <output data-testid="count">{useStore(store)}</output>;
  }

  it("renders the current value and every change", () => {
    const store = createStore(1);
    render(<Count store={store} />);
    expect(screen.getByTestId("count")).toHaveTextContent("1");
    act(() => store.set(2));
    expect(screen.getByTestId("count")).toHaveTextContent("2");
  });
});
