"""Guest QR ordering: a table's code, its shared cart, submissions to the staff, and the guest's live view."""
