"""Door-to-door fulfilment (issue 7): shipments, labels and customs documents, pickups at
the merchant's warehouse, carrier events and tracking, the delivery promise."""
