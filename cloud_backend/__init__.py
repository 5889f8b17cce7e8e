"""Tavolo licensing cloud: registers sites, issues signed leases, renews and locks licenses."""

__version__ = "0.1.0"
