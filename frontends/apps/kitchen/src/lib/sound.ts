// The chime for a new ticket, made with Web Audio (no file to load). Browsers keep audio silent until someone
// interacts with the page, so the screen asks for one tap ("Tap to enable sound"); any tap on the board counts.
// A kiosk browser started with autoplay allowed needs no tap. Kept in memory only: after a reload the browser
// wants its tap again anyway.
import { createStore, useStore } from "@tavolo/ui";

export interface Sound {
  /** The browser lets the page play sound (a tap happened, or autoplay is allowed). */
  enabled: boolean;
  muted: boolean;
  /** Chimes played so far (the browser tests read it from the page). */
  chimes: number;
}

export const soundStore = createStore<Sound>({ enabled: false, muted: false, chimes: 0 });

type AudioContextClass = typeof AudioContext;

let context: AudioContext | null = null;
let resuming: Promise<void> | null = null;

function audioClass(): AudioContextClass | null {
  const w = globalThis as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

function audio(): AudioContext | null {
  if (context) return context;
  const Ctor = audioClass();
  if (!Ctor) return null;
  try {
    context = new Ctor();
    context.onstatechange = () => {
      if (context?.state === "running") soundStore.set((s) => (s.enabled ? s : { ...s, enabled: true }));
    };
  } catch {
    context = null;
  }
  return context;
}

/** Two short tones, loud enough over a kitchen's noise and short enough not to annoy. */
function tones(ctx: AudioContext, pitches: readonly number[], gain = 0.35): void {
  const start = ctx.currentTime + 0.01;
  pitches.forEach((pitch, index) => {
    const at = start + index * 0.16;
    const oscillator = ctx.createOscillator();
    const volume = ctx.createGain();
    oscillator.type = "square";
    oscillator.frequency.value = pitch;
    volume.gain.setValueAtTime(0.0001, at);
    volume.gain.exponentialRampToValueAtTime(gain, at + 0.01);
    volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.13);
    oscillator.connect(volume).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.14);
  });
}

/** Called on a user gesture: the browser now lets the page play. */
export function enableSound(): void {
  const ctx = audio();
  // One tap reaches both the button and the page-wide listener: resume (and confirm with a tick) once.
  if (!ctx || resuming || soundStore.get().enabled) return;
  resuming = ctx
    .resume()
    .then(() => {
      soundStore.set((s) => (s.enabled ? s : { ...s, enabled: true }));
      if (!soundStore.get().muted) tones(ctx, [660], 0.2);
    })
    .catch(() => undefined)
    .finally(() => {
      resuming = null;
    });
}

export function setMuted(muted: boolean): void {
  soundStore.set((s) => (s.muted === muted ? s : { ...s, muted }));
}

/** A ticket arrived. */
export function chime(): void {
  const { enabled, muted } = soundStore.get();
  if (!enabled || muted || !context) return;
  tones(context, [880, 1175]);
  soundStore.set((s) => ({ ...s, chimes: s.chimes + 1 }));
}

/** At start: sound may already be allowed (a kiosk browser); otherwise the first tap anywhere enables it. */
export function initSound(): void {
  const ctx = audio();
  if (ctx?.state === "running") soundStore.set((s) => ({ ...s, enabled: true }));
  const onGesture = () => {
    enableSound();
    if (soundStore.get().enabled) {
      document.removeEventListener("click", onGesture, true);
      document.removeEventListener("keydown", onGesture, true);
    }
  };
  // `click`, not `pointerdown`: the sound control changes from "enable" to "mute" when sound starts, and a
  // press must not begin on one and end (as a click) on the other.
  document.addEventListener("click", onGesture, true);
  document.addEventListener("keydown", onGesture, true);
}

export function useSound(): Sound {
  return useStore(soundStore);
}
