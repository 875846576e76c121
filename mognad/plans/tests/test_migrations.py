"""The plans app's migrations run back to nothing and forward again (the tables go and come)."""

import pytest

from mognad.test import assert_app_migrates_back_and_forth

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_plans_tables_go_back_and_come_forward():
    assert_app_migrates_back_and_forth("plans", {"plans_actionplan", "plans_plannedaction"})
