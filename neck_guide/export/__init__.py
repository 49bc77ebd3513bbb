"""Session exports: csv, json and FHIR (pure Python), PDF (Qt's QPdfWriter), and the CLI commands."""
