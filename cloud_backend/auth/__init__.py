"""Sysadmin accounts, password login with JWT, failed-login throttling."""
