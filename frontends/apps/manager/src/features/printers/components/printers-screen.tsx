// Placeholder until the feature lands.
export function PrintersScreen() {
  return (
    <section>
      <h1 tabIndex={-1}>Printers</h1>
    </section>
  );
}
