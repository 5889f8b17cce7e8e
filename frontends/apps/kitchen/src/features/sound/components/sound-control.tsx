import { Button } from "@tavolo/ui";
import { enableSound, setMuted, useSound } from "../../../lib/sound";

/** A speaker, drawn here: a wall screen's browser may have no emoji font. */
function Speaker({ on }: { on: boolean }) {
  return (
    <svg className="kds-sound__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
      {on ? (
        <path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" fill="none" stroke="currentColor" strokeWidth="2" />
      ) : (
        <path d="M16 9l5 6M21 9l-5 6" fill="none" stroke="currentColor" strokeWidth="2" />
      )}
    </svg>
  );
}

/** Until the browser allows sound: a loud "Tap to enable sound". Then a mute toggle. */
export function SoundControl() {
  const sound = useSound();
  if (!sound.enabled) {
    return (
      <Button
        key="enable"
        variant="danger"
        className="kds-sound kds-sound--off"
        data-testid="sound-enable"
        onClick={enableSound}
      >
        <Speaker on={false} />
        Tap to enable sound
      </Button>
    );
  }
  return (
    <Button
      key="toggle"
      variant="secondary"
      className="kds-sound"
      data-testid="sound-toggle"
      data-chimes={sound.chimes}
      aria-pressed={sound.muted}
      aria-label={sound.muted ? "Sound muted: tap to unmute" : "Sound on: tap to mute"}
      onClick={() => setMuted(!sound.muted)}
    >
      <Speaker on={!sound.muted} />
      {sound.muted ? "Muted" : "Sound on"}
    </Button>
  );
}
