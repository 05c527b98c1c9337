"""Receivers that keep derived data in step with what editors change."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from ratings.models import Cycle


@receiver(pre_save, sender=Cycle, dispatch_uid="tracker_cycle_number_before")
def remember_cycle_number(sender, instance, raw=False, **kwargs):
    instance._stored_number = (
        None if instance._state.adding else Cycle.objects.filter(pk=instance.pk).values_list("number", flat=True).first()
    )


@receiver(post_save, sender=Cycle, dispatch_uid="tracker_cycle_renumbered")
def renumbered_cycle(sender, instance, created=False, raw=False, **kwargs):
    """Status paths are indexed by cycle number: a new cycle lengthens them, renumbering
    a cycle rewrites them."""
    from . import paths

    if created:
        paths.lengthen_all(paths.path_length())
    stored = getattr(instance, "_stored_number", None)
    if not created and stored is not None and stored != instance.number:
        from .models import Project, sync_status_paths

        sync_status_paths(Project.objects.all())
