"""Kitchen and bill printing: ESC/POS bytes, ticket layouts and a simulated network printer (no database here)."""
