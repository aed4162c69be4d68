"""The policy's answers for the host site: classify one fact under the active version.

The site asks here, never the engine directly, so every stored decision can
name the version that made it (`Decision.version_label`).
"""

from dataclasses import dataclass

from . import engine
from .conf import get_conf
from .facts import fact_from
from .models import PolicyVersion


class NoActivePolicy(LookupError):
    """The scope has no active policy version."""


@dataclass(frozen=True)
class Decision:
    verdicts: frozenset
    version: PolicyVersion

    @property
    def version_label(self):
        return self.version.label

    @property
    def document(self):
        return self.version.parsed()


def active_version(scope=None):
    scope = scope or get_conf("DEFAULT_SCOPE")
    version = PolicyVersion.active_for(scope)
    if version is None:
        raise NoActivePolicy(f"no active policy version for scope {scope!r}")
    return version


def decide(kind, data, scope=None, version=None):
    """Validate `data` as a fact of `kind` and classify it under `version` (default: the active one)."""
    version = version or active_version(scope)
    return Decision(engine.classify(version, fact_from(kind, data)), version)
