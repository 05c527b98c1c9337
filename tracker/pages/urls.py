from django.urls import path

from . import about, maps, releases, views

app_name = "tracker"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("health/", views.health, name="health"),
    path("language/<str:code>/", views.language, name="language"),
    path("view/", views.view_mode, name="view_mode"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<str:reference>/", views.project_detail, name="project_detail"),
    path("unresolved/", views.unresolved, name="unresolved"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("map/", maps.region_map, name="region_map"),
    path("organizations/", about.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("about/", about.about, name="about"),
    path("releases/", releases.release_list, name="release_list"),
    path("releases/<str:numeral>/", releases.release_detail, name="release_detail"),
    path("releases/<str:numeral>/files/<str:name>", releases.release_file, name="release_file"),
]
