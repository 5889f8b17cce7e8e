"""The kitchen display: screens paired per zone, tickets, item progress, bump and recall."""
