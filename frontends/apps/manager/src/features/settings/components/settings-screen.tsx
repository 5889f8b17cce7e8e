// Placeholder until the feature lands.
export function SettingsScreen() {
  return (
    <section>
      <h1 tabIndex={-1}>Settings</h1>
    </section>
  );
}
