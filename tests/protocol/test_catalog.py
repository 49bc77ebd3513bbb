"""The catalog: bundled and user protocols together, bad files kept aside, the user's win."""

from __future__ import annotations

from pathlib import Path

import pytest

from neck_guide.paths import BUNDLED_PROTOCOLS_DIR
from neck_guide.protocol.loader import Catalog, ProtocolError, UnknownProtocol

SAMPLE_PROTOCOL = Path(__file__).with_name("sample_protocol.toml")


def protocol_text(protocol_id: str, title: str) -> str:
    """The shared sample protocol under another id and title."""
    text = SAMPLE_PROTOCOL.read_text(encoding="utf-8")
    for old, new in [
        ('id = "neck-test"', f'id = "{protocol_id}"'),
        ('title = "Neck test"', f'title = "{title}"'),
    ]:
        assert old in text, f"test setup: {old!r} is not in {SAMPLE_PROTOCOL}"
        text = text.replace(old, new, 1)
    return text


def put(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "bundled"
    put(folder, "zeta.toml", protocol_text("zeta", "Zeta routine"))
    put(folder, "alpha.toml", protocol_text("alpha", "Alpha routine"))
    put(folder, "schema.json", "{}")
    return folder


def test_loads_every_protocol_sorted_by_title(tmp_path: Path, bundled: Path) -> None:
    user = tmp_path / "user"
    put(user, "mine.toml", protocol_text("mine", "Middle routine"))
    catalog = Catalog.load(bundled, user)
    assert [p.title for p in catalog.protocols] == ["Alpha routine", "Middle routine", "Zeta routine"]
    assert catalog.source_of("mine") == user / "mine.toml"
    assert catalog.source_of("zeta") == bundled / "zeta.toml"
    assert catalog.get("alpha").title == "Alpha routine"
    assert (catalog.errors, catalog.notices) == ([], [])
    assert "alpha" in catalog and len(catalog) == 3


def test_a_bad_file_never_stops_the_others(tmp_path: Path, bundled: Path) -> None:
    broken = put(bundled, "broken.toml", "id = \n")
    user = tmp_path / "user"
    bad_user = put(user, "typo.toml", protocol_text("typo", "Typo").replace("duration_s", "duraton_s"))
    put(user, "fine.toml", protocol_text("fine", "Fine"))
    catalog = Catalog.load(bundled, user)
    assert sorted(p.id for p in catalog.protocols) == ["alpha", "fine", "zeta"]
    assert [e.path for e in catalog.errors] == [broken, bad_user]
    assert catalog.errors[0].place == "TOML syntax" and catalog.errors[0].line == 1
    assert "duraton_s" in catalog.errors[1].place
    assert "did you mean 'duration_s'?" in catalog.errors[1].message


def test_the_users_protocol_replaces_the_bundled_one(tmp_path: Path, bundled: Path) -> None:
    user = tmp_path / "user"
    mine = put(user, "my-alpha.toml", protocol_text("alpha", "Alpha, our way"))
    catalog = Catalog.load(bundled, user)
    assert catalog.get("alpha").title == "Alpha, our way"
    assert catalog.source_of("alpha") == mine
    assert catalog.notices == [f"Your protocol 'alpha' ({mine}) replaces the bundled one of the same id."]
    assert len(catalog.protocols) == 2


def test_a_broken_user_copy_leaves_the_bundled_one_in_use(tmp_path: Path, bundled: Path) -> None:
    user = tmp_path / "user"
    put(user, "alpha.toml", protocol_text("alpha", ""))
    catalog = Catalog.load(bundled, user)
    assert catalog.source_of("alpha") == bundled / "alpha.toml"
    assert catalog.errors[0].place == "title" and catalog.notices == []


def test_two_files_with_one_id_in_one_folder(tmp_path: Path, bundled: Path) -> None:
    copy = put(bundled, "copy-of-zeta.toml", protocol_text("zeta", "Zeta copy"))
    catalog = Catalog.load(bundled, None)
    assert catalog.source_of("zeta") == copy  # first by file name
    [error] = catalog.errors
    assert error.path == bundled / "zeta.toml"
    assert error.place == "id"
    assert error.line == 2
    assert "copy-of-zeta.toml" in error.message and "'zeta'" in error.message
    assert "zeta.toml" in str(error)


def test_unknown_id_lists_the_known_ones(bundled: Path) -> None:
    catalog = Catalog.load(bundled, None)
    with pytest.raises(UnknownProtocol) as caught:
        catalog.get("neck-basic")
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, ProtocolError)
    assert "'neck-basic'" in str(caught.value)
    assert "Known ids: alpha, zeta." in str(caught.value)
    with pytest.raises(KeyError):
        catalog.source_of("neck-basic")


def test_missing_user_folder_is_fine_and_missing_bundled_folder_is_reported(
    tmp_path: Path, bundled: Path
) -> None:
    assert Catalog.load(bundled, tmp_path / "not-made-yet").errors == []
    catalog = Catalog.load(tmp_path / "gone", None)
    assert catalog.protocols == []
    assert catalog.errors[0].path == tmp_path / "gone"
    assert "missing" in catalog.errors[0].message


def test_the_bundled_protocols_load_without_errors() -> None:
    if not any(BUNDLED_PROTOCOLS_DIR.glob("*.toml")):
        pytest.skip("no bundled protocols yet")
    catalog = Catalog.load(BUNDLED_PROTOCOLS_DIR, None)
    assert catalog.errors == [], "\n".join(str(e) for e in catalog.errors)
    assert catalog.protocols
