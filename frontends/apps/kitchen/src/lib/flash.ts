// One short message across the top of the board ("Could not bump T4: …"); it goes away by itself.
import { ApiError, NetworkError } from "@tavolo/api";
import { createStore, useStore } from "@tavolo/ui";

export interface Flash {
  id: number;
  text: string;
}

export const flashStore = createStore<Flash | null>(null);
const SHOW_MS = 6_000;
let counter = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

export function flash(text: string): void {
  counter += 1;
  const id = counter;
  flashStore.set({ id, text });
  clearTimeout(timer);
  timer = setTimeout(() => flashStore.set((current) => (current?.id === id ? null : current)), SHOW_MS);
}

export function dismissFlash(): void {
  clearTimeout(timer);
  flashStore.set(null);
}

/** What went wrong, in words a cook can act on. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return "the appliance cannot be reached";
  if (error instanceof ApiError) return error.message;
  return "something went wrong";
}

export function useFlash(): Flash | null {
  return useStore(flashStore);
}
