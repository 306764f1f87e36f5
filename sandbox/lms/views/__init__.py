"""HTTP views of the miniature LMS, one module per API family; the decisions live in services."""
