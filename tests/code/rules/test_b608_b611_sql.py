"""B608, B610, B611: SQL assembled from strings, Django `extra()` and `RawSQL`."""

from __future__ import annotations

import pytest

from support.rules import Case, found

MM = ("MEDIUM", "MEDIUM")
ML = ("MEDIUM", "LOW")

CASES = [
    # --- B608 hardcoded_sql_expressions ---
    Case("B608", "cursor.execute('SELECT * FROM users WHERE id = %s' % uid)\n", ((1, *MM),)),
    Case("B608", 'query = "SELECT * FROM users WHERE name = \'" + name + "\'"\n', ((1, *ML),)),
    Case("B608", "cursor.execute(f'DELETE FROM t WHERE id = {i}')\n", ((1, *MM),)),
    Case("B608", "q = 'UPDATE t SET a = {}'.format(v)\n", ((1, *ML),)),
    Case("B608", "cursor.execute('INSERT INTO t VALUES ({})'.format(v))\n", ((1, *MM),)),
    Case(
        "B608",
        "cursor.execute(\"SELECT * FROM t WHERE a = 'X'\".replace('X', v))\n",
        ((1, *ML),),
    ),
    Case("B608", "cursor.executemany('insert into t values (%s)' % marks, rows)\n", ((1, *MM),)),
    Case(
        "B608",
        """
        sql = (
            "SELECT name "
            "FROM users WHERE id = " + uid
        )
        """,
        ((3, *ML),),
    ),
    Case("B608", "q = 'UPDATE t ' + 'SET a=' + v\n", ((1, *ML),), "none"),
    Case("B608", "cursor.execute('SELECT * FROM t WHERE id = %s', (uid,))\n", ()),
    Case("B608", "q = 'SELECT * FROM ' + 'users'\n", (), "1 MEDIUM/LOW"),
    Case("B608", "label = 'Select a value: %s' % x\nmsg = f'please update {x}'\n", ()),
    Case("B608", "note = 'preselect the item from ' + x\n", (), "1 MEDIUM/LOW"),
    # --- B610 django_extra_used ---
    Case("B610", "Entry.objects.extra(where=[f\"headline = '{h}'\"])\n", ((1, *MM),)),
    Case("B610", "qs.extra(select={'x': sql})\n", ((1, *MM),)),
    Case("B610", "qs.extra(tables=tables)\n", ((1, *MM),)),
    Case("B610", "from django.db import models\nqs.extra(None, [condition])\n", ((2, *MM),)),
    Case(
        "B610",
        """
        qs.extra(where=["a = %s"], params=[v])
        qs.extra(select={"is_recent": "pub_date > '2006-01-01'"})
        """,
        (),
    ),
    Case("B610", "qs.extra(where=('a = 1',))\n", (), "1 MEDIUM/MEDIUM"),
    Case("B610", "parser.extra(option)\n", (), "1 MEDIUM/MEDIUM"),
    # --- B611 django_rawsql_used ---
    Case(
        "B611",
        "from django.db.models.expressions import RawSQL\nRawSQL(sql, params)\n",
        ((2, *MM),),
    ),
    Case(
        "B611",
        "from django.db import models\nmodels.RawSQL('SELECT x FROM t WHERE id = %s' % i, ())\n",
        ((2, *MM),),
    ),
    Case(
        "B611",
        "from django.db.models import RawSQL\nRawSQL(sql='SELECT x FROM t WHERE ' + cond)\n",
        ((2, *MM),),
    ),
    Case("B611", "from django.db.models import RawSQL\nRawSQL(*extra)\n", ((2, *MM),)),
    Case("B611", "from django.db.models import RawSQL\nRawSQL('SELECT 1', ())\n", ()),
    Case(
        "B611",
        "from django.db.models import RawSQL\nRawSQL('SELECT ' + '1', ())\n",
        (),
        "2 MEDIUM/MEDIUM",
    ),
    Case("B611", "from reports import RawSQL\nRawSQL(sql)\n", ()),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{CASES.index(c)}")
def test_rule(case: Case) -> None:
    assert found(case) == case.expected
