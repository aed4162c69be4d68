"""The rules engine, durable-rules 2.0.28, behind one module: nothing else imports durable.

`classify(document_or_version, fact)` answers the verdicts of one fact. The engine
only classifies: all counting happens in the database before a fact is built.
The wrapper applies every measured workaround (/work/shared/DURABLE_RULES.md §1.4–1.8, §4.5):

- one private host per process, without the dispatcher thread (it steals actions
  and segfaults under threads), actions resolved by verdict name to a collector;
- one lock around every engine call;
- a fresh sid per evaluation, asserted as a fact (all matching rules fire), its
  state deleted afterwards (1,024 live sids per ruleset is a hard limit). Deleting
  the state of a fact no rule handled segfaults, so every compiled ruleset handles
  every fact kind, and an unhandled sid is first handed a cleanup fact;
- rulesets named by the document's hash, registered once per process on first
  use, never re-registered or deleted (neither is possible safely).
"""

import copy
import logging
import os
import re
import threading
import uuid
from collections import OrderedDict

import durable_rules_engine
from durable.engine import Host, MessageNotHandledException
from pydantic import ValidationError

from .compiler import CLEANUP_KIND, SEEN, CompileError, compile_document, encode_fact
from .document import PolicyDocument, document_hash
from .facts import VERDICTS, Fact

logger = logging.getLogger(__name__)

_VERDICTS = frozenset(verdict for verdicts in VERDICTS.values() for verdict in verdicts)
_RULE_VERDICT = re.compile(r"rule:[a-z][a-z0-9_]{0,39}:(block|warn)")
_NAMES_KEPT = 256


class EngineError(RuntimeError):
    """The rules engine could not load a policy or classify a fact."""


def _ignore(c):
    pass


class PolicyHost(Host):
    """A durable-rules host with no dispatcher thread whose actions collect verdict names.

    Not thread-safe by itself: the module holds one lock around every call.
    """

    def __init__(self):
        self._verdicts = None
        self._loaded = set()
        self._failed = {}
        super().__init__()

    def _run(self):
        """No dispatcher: evaluation is synchronous, and the thread races and crashes (§1.7)."""

    def get_action(self, action_name):
        if action_name == SEEN:
            return _ignore
        if action_name not in _VERDICTS and not _RULE_VERDICT.fullmatch(action_name):
            raise EngineError(f"unknown verdict {action_name!r}")

        def collect(c):
            self._verdicts.append(action_name)

        return collect

    def is_loaded(self, name):
        return name in self._loaded

    def register(self, name, ruleset):
        """Register the ruleset body under `name` unless it is there; raises EngineError."""
        if name in self._loaded:
            return
        if name in self._failed:  # a failed registration is not retried: it costs memory each time
            raise EngineError(self._failed[name])
        try:
            # Ruleset.__init__ pops "run" from every rule: give it a copy.
            self.register_rulesets({name: copy.deepcopy(ruleset)})
        except Exception as error:
            self._failed[name] = f"the engine failed to load ruleset {name}: {error}"
            raise EngineError(self._failed[name]) from error
        self._loaded.add(name)

    def evaluate(self, name, message):
        """The verdicts of one engine message under the registered ruleset `name`."""
        sid = uuid.uuid4().hex
        self._verdicts = verdicts = []
        handled = False
        try:
            state = self.assert_fact(name, {**message, "sid": sid})
            handled = True
        except MessageNotHandledException:
            return frozenset()
        except Exception as error:  # durable_rules_engine.error, MessageObservedException
            raise EngineError(f"the engine could not classify {message.get('t')!r} under {name}: {error}") from error
        finally:
            self._verdicts = None
            self._discard(name, sid, handled)
        if "exception" in state:  # an action failed: durable swallows it into the state (§1.4)
            raise EngineError(f"a verdict action failed under {name}: {state['exception']}")
        return frozenset(verdicts)

    def _discard(self, name, sid, handled):
        if not handled:
            try:
                self.assert_fact(name, {"t": CLEANUP_KIND, "sid": sid})
            except Exception:  # noqa: BLE001 - durable raises its own kinds; the state is only left in memory
                logger.warning("engine state %s/%s left in memory: no cleanup rule handled it", name, sid)
                return
        try:
            self.delete_state(name, sid)
        except durable_rules_engine.error as error:
            logger.warning("engine state %s/%s not deleted: %s", name, sid, error)


_lock = threading.Lock()
_host = None
_names = OrderedDict()  # id(document) → (document, ruleset name); the document is kept so ids are not reused


def _reset_after_fork():
    # A fork while another thread held the lock would leave the child's copy locked for ever.
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_after_fork)


def _process_host():
    global _host
    if _host is None:
        _host = PolicyHost()
    return _host


def _hash_name(data):
    return f"policy_{document_hash(data)[:16]}"


def _name(target):
    if isinstance(target, PolicyDocument):
        cached = _names.get(id(target))
        if cached is not None and cached[0] is target:
            return cached[1]
        name = _hash_name(target.as_data())
        _names[id(target)] = (target, name)
        if len(_names) > _NAMES_KEPT:
            _names.popitem(last=False)
        return name
    # A PolicyVersion, recognised by its fields so that this module does not import Django models.
    if getattr(target, "document_sha256", ""):
        return target.ruleset_name
    return _hash_name(target.document)


def _document(target, name):
    if isinstance(target, PolicyDocument):
        return target
    if _hash_name(target.document) != name:
        raise EngineError(f"policy version {target}: its document changed after it was saved; save it first")
    try:
        return target.parsed()
    except ValidationError as error:
        raise EngineError(f"policy version {target} holds an invalid document: {error}") from error


def _load(host, target):
    name = _name(target)
    if not host.is_loaded(name):
        try:
            ruleset = compile_document(_document(target, name))
        except CompileError as error:
            raise EngineError(f"the policy cannot be compiled: {error}") from error
        host.register(name, ruleset)
    return name


def ruleset_name(document_or_version):
    """`policy_<first 16 hex digits of the document's SHA-256>`, as PolicyVersion.ruleset_name."""
    with _lock:
        return _name(document_or_version)


def load(document_or_version):
    """Register the policy's ruleset in this process unless it is there; returns its name."""
    with _lock:
        return _load(_process_host(), document_or_version)


def classify(document_or_version, fact: Fact) -> frozenset[str]:
    """The verdicts of one validated fact under a PolicyDocument or a PolicyVersion."""
    try:
        message = encode_fact(fact)
    except ValueError as error:
        raise EngineError(f"the fact cannot reach the engine: {error}") from error
    with _lock:
        host = _process_host()
        return host.evaluate(_load(host, document_or_version), message)
