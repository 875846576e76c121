"""A django-tasks task for the worker tests."""

from django_tasks import task


@task()
def record_call(value: str) -> str:
    return value
