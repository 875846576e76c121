from mognad.lint_access import main, problems_in


def test_it_flags_a_view_that_queries_a_model_directly():
    source = "def view(request):\n    return Organization.objects.get(pk=1)\n"
    assert problems_in(source, "views.py") == [
        "views.py:2: views must not use .objects; go through orgs/access.py"
    ]


def test_it_flags_get_object_or_404_in_a_view():
    source = "def view(request, pk):\n    return get_object_or_404(Measurement, pk=pk)\n"
    assert len(problems_in(source, "views.py")) == 1


def test_it_accepts_a_view_that_goes_through_the_access_door():
    source = (
        "def view(request, pk):\n    return access.get_measurement_for_user(request.user, pk)\n"
    )
    assert problems_in(source, "views.py") == []


def test_the_project_views_pass_the_check():
    assert main() == 0
