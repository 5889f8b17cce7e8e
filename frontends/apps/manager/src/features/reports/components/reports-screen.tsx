// Placeholder until the feature lands.
export function ReportsScreen() {
  return (
    <section>
      <h1 tabIndex={-1}>Reports</h1>
    </section>
  );
}
