from mognad.i18n import catalogues, problems


def test_there_is_a_swedish_catalogue():
    assert any("/sv/" in str(path) for path in catalogues())


def test_every_catalogue_is_complete_and_compiled():
    assert [line for path in catalogues() for line in problems(path)] == []
