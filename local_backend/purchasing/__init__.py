"""Purchase orders to suppliers: drafts from low stock, sending (email through SMTP, queued while offline),
receiving through the inventory's deliveries, CSV and printed tickets."""
