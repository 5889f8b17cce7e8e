// Placeholder until the feature lands.
export function FloorScreen({ orderId }: { orderId?: number }) {
  return (
    <section>
      <h1 tabIndex={-1}>Floor {orderId}</h1>
    </section>
  );
}
