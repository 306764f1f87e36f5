"""The plugin's REST API (versioned under ``rest_api/v1``)."""
