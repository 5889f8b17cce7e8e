"""Cloud bookkeeping: health and small key-value state (the generated JWT secret)."""
