import type { SiteHeartbeat } from "@tavolo/api";
import { formatDateTime, formatUptime } from "../../../lib/format";

export function HeartbeatTable({ heartbeats, total }: { heartbeats: SiteHeartbeat[]; total: number }) {
  if (heartbeats.length === 0) {
    return <p className="muted">No heartbeat yet.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid="heartbeat-table">
        <caption className="visually-hidden">
          The {heartbeats.length} most recent of {total} heartbeats, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">IP address</th>
            <th scope="col">Version</th>
            <th scope="col">Uptime</th>
          </tr>
        </thead>
        <tbody>
          {heartbeats.map((beat, index) => (
            <tr key={`${beat.at}-${index}`} data-testid="heartbeat-row">
              <td>
                <time dateTime={beat.at}>{formatDateTime(beat.at)}</time>
              </td>
              <td className="mono">{beat.ip ?? "—"}</td>
              <td>{beat.version}</td>
              <td>{formatUptime(beat.uptime_seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
