"""The JSON Schema of questionnaire files, generated from the pydantic model.

python -m neck_guide.questionnaire.schema            # rewrite questionnaires/schema.json
python -m neck_guide.questionnaire.schema --check    # exit 1 if it is out of date
"""

from __future__ import annotations

from collections.abc import Sequence

from neck_guide.datafile.schema import SchemaFile
from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR
from neck_guide.questionnaire.model import SCHEMA_VERSION, Questionnaire

REGENERATE = "python -m neck_guide.questionnaire.schema"
SCHEMA = SchemaFile(
    model=Questionnaire,
    path=BUNDLED_QUESTIONNAIRES_DIR / "schema.json",
    schema_id=f"urn:neck-guide:questionnaire:v{SCHEMA_VERSION}",
    title="Neck Guide questionnaire",
    description=(
        f"A Neck Guide questionnaire file (TOML, schema_version {SCHEMA_VERSION}): items a client "
        "answers (choices, 0-10 scales, named activities) and the rules that score them (method, "
        "bands, minimal clinically important difference and its source). "
        f"Generated from the app's model by `{REGENERATE}`; do not edit. "
        "Check a file with `neck-guide questionnaires --check FILE`."
    ),
    regenerate=REGENERATE,
)


def main(argv: Sequence[str] | None = None) -> int:
    return SCHEMA.main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
