import "./spinner.css";

export function Spinner({ label = "Loading", size = 32 }: { label?: string; size?: number }) {
  return (
    <span className="ui-spinner" role="status" style={{ width: size, height: size }}>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
