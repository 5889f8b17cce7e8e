// The guest's nickname, kept on this phone for this table's QR code only: scanning another table's code asks
// again, and nothing else about the guest is ever stored.
import { createStore, useStore } from "@tavolo/ui";

const PREFIX = "tavolo.guest.nickname.";
export const NICKNAME_MAX = 24;

const nicknames = createStore<Readonly<Record<string, string>>>({});

function read(token: string): string {
  try {
    return localStorage.getItem(PREFIX + token) ?? "";
  } catch {
    return "";
  }
}

export function cleanNickname(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, NICKNAME_MAX);
}

export function saveNickname(token: string, nickname: string): void {
  const clean = cleanNickname(nickname);
  try {
    localStorage.setItem(PREFIX + token, clean);
  } catch {
    // private mode: kept for this visit only
  }
  nicknames.set((all) => ({ ...all, [token]: clean }));
}

export function useNickname(token: string): string {
  const all = useStore(nicknames);
  return all[token] ?? read(token);
}
