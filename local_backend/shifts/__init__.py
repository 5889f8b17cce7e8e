"""Cash shifts: the drawer's float, pay-ins and pay-outs, and the count at close against what should be there."""
