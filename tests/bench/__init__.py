"""The rush benchmark (`make bench`): a real appliance process under a simulated dinner rush."""
