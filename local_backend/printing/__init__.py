"""Kitchen and bill printing: printers (zones), the durable print queue and its workers, ESC/POS bytes, ticket
layouts and a simulated network printer."""
