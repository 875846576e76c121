from django.apps import AppConfig


class ScoringConfig(AppConfig):
    """Only here for the `mognad score` command; the engine itself is plain Python and numpy."""

    name = "mognad.scoring"
    label = "scoring"
