"""Use cases of the catalogue. The API, the web pages and the CLI all come through here."""
