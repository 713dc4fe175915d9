"""The core's models: what every domain stores the same way."""
