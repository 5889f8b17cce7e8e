"""Tavolo appliance: the restaurant's local server (staff, tables, menu, orders, printing, kitchen)."""

__version__ = "0.1.0"
