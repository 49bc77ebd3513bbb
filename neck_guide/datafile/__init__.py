"""Data files a clinic may write (protocols, questionnaires): TOML read within limits, validated
by a pydantic model, every problem placed (file, place, line), bundled and user folders, schemas."""
