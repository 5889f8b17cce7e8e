// Placeholder until the feature lands.
export function TablesScreen() {
  return (
    <section>
      <h1 tabIndex={-1}>Tables</h1>
    </section>
  );
}
