"""Questionnaires as data: outcome measures a client fills in (NDI, PSFS, pain), their files,
scoring rules and the record of a filling. Pure Python, like the protocols beside it."""
