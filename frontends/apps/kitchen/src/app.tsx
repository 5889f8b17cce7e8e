// The kitchen display: pairing until the screen has its token, then the board with its top bar and the all-day
// panel. Screens come from features; the shell holds what frames the board.
import "@tavolo/ui/src/styles.css";
import { useNow } from "@tavolo/ui";
import { AllDayPanel } from "./features/all-day";
import { BoardScreen } from "./features/board";
import { ConnectionStatus, StaleBanner } from "./features/connection";
import { PairScreen, ScreenMenu } from "./features/pairing";
import { RecallButton } from "./features/recall";
import { SoundControl } from "./features/sound";
import { dismissFlash, useFlash } from "./lib/flash";
import { useBoard } from "./lib/live";
import { usePairing } from "./lib/screen";

export function App() {
  const { token } = usePairing();
  return token === null ? <PairScreen /> : <Shell />;
}

function WallClock() {
  const now = useNow(10_000);
  return (
    <time className="kds-top__clock" dateTime={new Date(now).toISOString()}>
      {new Date(now).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
    </time>
  );
}

function Shell() {
  const { screen, tickets } = useBoard();
  const flash = useFlash();
  const zones = screen ? (screen.expo ? "Expo · all zones" : screen.zones.map((zone) => zone.name).join(" · ")) : "";
  return (
    <div className="kds-shell">
      <header className="kds-top">
        <div className="kds-top__title">
          <span className="kds-top__name" data-testid="kds-screen-name">
            {screen?.name ?? "Kitchen"}
          </span>
          <span className="kds-top__zones">{zones}</span>
        </div>
        <span className="kds-top__count" data-testid="kds-open-count">
          {tickets.length} open
        </span>
        <WallClock />
        <ConnectionStatus />
        <SoundControl />
        <RecallButton />
        <ScreenMenu />
      </header>
      <StaleBanner />
      {flash && (
        <button type="button" className="kds-flash" role="alert" data-testid="kds-flash" onClick={dismissFlash}>
          {flash.text}
        </button>
      )}
      <main className="kds-shell__main">
        <BoardScreen />
      </main>
      <AllDayPanel />
    </div>
  );
}
