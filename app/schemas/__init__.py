"""marshmallow schemas: the shape of what the API (and the data loader) accepts and returns."""
