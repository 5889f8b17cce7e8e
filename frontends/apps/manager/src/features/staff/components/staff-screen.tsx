// Placeholder until the feature lands.
export function StaffScreen() {
  return (
    <section>
      <h1 tabIndex={-1}>Staff</h1>
    </section>
  );
}
