// Placeholder until the feature lands.
export function MenuScreen() {
  return (
    <section>
      <h1 tabIndex={-1}>Menu</h1>
    </section>
  );
}
