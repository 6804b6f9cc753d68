"""One reader per kind of file; `ingest.readers` picks one by suffix."""
