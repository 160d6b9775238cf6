"""The network kinds, in a module of their own so that the CLI can list them without loading networkx."""

from typing import Literal

NetworkKind = Literal["co-implementation", "lead-partner", "organisation-project",
                      "organisation-municipality", "project-overlap"]
NETWORK_KINDS: tuple[str, ...] = ("co-implementation", "lead-partner", "organisation-project",
                                  "organisation-municipality", "project-overlap")
