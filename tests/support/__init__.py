"""Helpers shared by tests that drive a real appliance process."""
