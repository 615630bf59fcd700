"""Migrations are never edited once on main: the SQL they run stays byte for byte the same.

Several migrations build their views and triggers from Python (``_m005_views`` …), and some of
those read constants that live in ``factcheck.store`` (the CSV source line, the archive SQL).
Editing such a constant would silently change what an old migration creates on a new database,
while databases migrated earlier keep the old SQL. These digests were taken from main's history
(each builder has had one text since the commit that landed it): a change here means "write a
new migration", never "update the digest".
"""

from __future__ import annotations

import hashlib

import pytest

from factcheck import db

FROZEN = {
    "_m005_views": "2f7ed54f9d1cc29d196517b69aabde68f7c9b3aacb1777c39b821e1043ed4154",
    "_m005_triggers": "dd16a0a4a66ffc8b7b725a3513adedca5e03b8e891bdd2b638b1e7e4fbb6532f",
    "_m008_views": "c6adabd1863967641ad0394fff269d5646eccdf7fa0ec22e892e4d2a5c50ea0a",
    "_m011_csv_view": "f8b18df7c6ebb51480e474261cc3ad346fb534a811d5cbcad5fe20a546ce4aaf",
    "_m016_views": "9277606a0a1669142f49d2fc85865906baf7b5dee34e0dee8a0624cd0300db6c",
    "_m017_views": "657659dbcc9340804bf0cebd353b436b2027e3011211f2a4b86cd2d4afbe121c",
}


@pytest.mark.parametrize("builder", sorted(FROZEN))
def test_migration_sql_is_unchanged(builder: str) -> None:
    sql = getattr(db, builder)()
    digest = hashlib.sha256(sql.encode()).hexdigest()
    assert digest == FROZEN[builder], (
        f"{builder}() no longer returns the SQL its migration ran on main. Migrations are never "
        "edited once applied (a constant it reads from factcheck.store may have changed): undo "
        "the change and write a new migration that redefines the views instead."
    )


def test_every_migration_builder_is_pinned() -> None:
    builders = {name for name in dir(db) if name.startswith("_m0") and callable(getattr(db, name))}
    assert builders == set(FROZEN), (
        "a migration builds SQL in a new _mNNN_* function: add its digest to FROZEN in this test "
        "when its migration lands on main"
    )
