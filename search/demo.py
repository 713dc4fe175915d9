"""The demo's search index: built last, from everything the other demos made (their bulk-created
records send no signals), so that `make run` and the benchmark search a complete index."""

from django.core.management import call_command

from partnership.demo import World


def build(world: World, scale: int) -> None:
    call_command("search_index", rebuild=True, every=10_000, stdout=_Quiet())
    world.log.append("search: index rebuilt")


class _Quiet:
    def write(self, text):
        pass

    def flush(self):
        pass
