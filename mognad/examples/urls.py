from django.urls import path

from mognad.examples import dialogue_views, views

app_name = "examples"
urlpatterns = [
    # The library: every member of any organization reads the published examples.
    path("examples/", views.search, name="search"),
    path("examples/<int:example_id>/", views.detail, name="detail"),
    # The national coordinator reviews before anything is published.
    path("examples/review/", views.review_list, name="review_list"),
    path("examples/review/<int:example_id>/", views.review, name="review"),
    # An organization's own examples (key users write).
    path("orgs/<slug:slug>/examples/", views.own_list, name="own_list"),
    path("orgs/<slug:slug>/examples/new/", views.create, name="create"),
    path("orgs/<slug:slug>/examples/<int:example_id>/edit/", views.edit, name="edit"),
    path("orgs/<slug:slug>/examples/<int:example_id>/submit/", views.submit, name="submit"),
    path("orgs/<slug:slug>/examples/<int:example_id>/delete/", views.delete, name="delete"),
    # The result dialogue: a workshop guide per year, and its conclusions.
    path("orgs/<slug:slug>/dialogue/", dialogue_views.guide, name="dialogue"),
    path("orgs/<slug:slug>/dialogue/guide.pdf", dialogue_views.guide_pdf, name="dialogue_pdf"),
    path(
        "orgs/<slug:slug>/dialogue/conclusions/<int:conclusion_id>/to-plan/",
        dialogue_views.conclusion_to_plan,
        name="conclusion_to_plan",
    ),
]
