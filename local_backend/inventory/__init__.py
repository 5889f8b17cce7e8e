"""Stock: stock items, suppliers, recipes, deliveries and counts, purchase orders and the use forecast."""
