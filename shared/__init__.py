"""Code both backends use: license leases, security helpers, wire schemas, money and time."""
