"""Controller documents for the tests (``from documents import document``; the test modules
put this folder on ``sys.path``, as pytest's importlib mode does not)."""

from __future__ import annotations

AMI = "ami-0123456789abcdef0"


def document(
    *,
    simulation: dict | None = None,
    instance_type: str = "m5.large",
    **group: object,
) -> dict:
    """A controller document (the one format of ``examples/``) with one group named ``g`` of
    one launch template; ``group`` gives the group's fields (``zones`` default ``["a"]``)."""
    entry: dict = {"name": "g", "launch_template": "node", "zones": ["a"], **group}
    doc: dict = {
        "launch_templates": [{"name": "node", "image_id": AMI, "instance_type": instance_type}],
        "groups": [entry],
    }
    if simulation is not None:
        doc["simulation"] = simulation
    return doc
