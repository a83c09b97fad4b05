"""The ``spark`` and ``sc`` names of a task, and ``SparkSession.builder.getOrCreate()``.

``spark`` and ``sc`` are stand-ins that build the task's session on their first use, so a
notebook that never touches Spark starts no JVM and no cluster; once the session exists the
namespaces they were put in get the real objects (``type(spark)`` is pyspark's class then).

Databricks scripts and wheels call ``SparkSession.builder.getOrCreate()`` (no master) or
``SparkSession.getActiveSession()`` and expect the cluster's session. pyspark is not imported
until the task's code imports it, so a finder on ``sys.meta_path`` patches
``pyspark.sql.session`` as it is loaded: both calls then build (or return) the task's session.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import MutableMapping, Sequence
from types import ModuleType
from typing import Any

from brickyard.runtime.exceptions import SparkSessionError
from brickyard.runtime.spark.session import TaskSpark

SESSION_MODULE = "pyspark.sql.session"
NO_SPARK_CONTEXT_MESSAGE = (
    "sc (the SparkContext) does not exist in this task: its spark is a Spark Connect session "
    "on the task's cluster, and Spark Connect has no SparkContext (as on Databricks shared "
    "clusters); use spark instead (spark.createDataFrame rather than sc.parallelize)"
)
_PATCHED = "_brickyard_task_session"


class LazySparkSession:
    """``spark`` before its first use: any attribute builds the task's session."""

    __slots__ = ("_task_spark",)

    def __init__(self, task_spark: TaskSpark) -> None:
        object.__setattr__(self, "_task_spark", task_spark)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._task_spark.session(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._task_spark.session(), name, value)

    def __dir__(self) -> list[str]:
        return dir(self._task_spark.session())

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance(spark, SparkSession) holds
        return type(self._task_spark.session())

    def __repr__(self) -> str:
        if self._task_spark.started:
            return repr(self._task_spark.session())
        return "<SparkSession: started on first use>"


class LazySparkContext:
    """``sc`` before its first use: the LOCAL session's SparkContext; a Connect session has
    none, and says so."""

    __slots__ = ("_task_spark",)

    def __init__(self, task_spark: TaskSpark) -> None:
        object.__setattr__(self, "_task_spark", task_spark)

    def _context(self) -> Any:
        if self._task_spark.is_connect:
            raise SparkSessionError(NO_SPARK_CONTEXT_MESSAGE)
        return self._task_spark.session().sparkContext

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._context(), name, value)

    def __dir__(self) -> list[str]:
        return dir(self._context())

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance(sc, SparkContext) holds
        return type(self._context())

    def __repr__(self) -> str:
        if self._task_spark.started and not self._task_spark.is_connect:
            return repr(self._context())
        return "<SparkContext: started on first use>"


class SparkNames:
    """The task's ``spark`` and ``sc``, put into namespaces (builtins, a notebook's globals)
    and replaced there by the real objects once the session is built."""

    def __init__(self, task_spark: TaskSpark) -> None:
        self.task_spark = task_spark
        self.spark = LazySparkSession(task_spark)
        self.sc = LazySparkContext(task_spark)
        self._namespaces: list[MutableMapping[str, Any]] = []
        task_spark.on_started(self._replace)

    def install(self, namespace: MutableMapping[str, Any]) -> None:
        """Define ``spark`` and ``sc`` in ``namespace``."""
        namespace["spark"] = self.spark
        namespace["sc"] = self.sc
        self._namespaces.append(namespace)

    def install_builtins(self) -> None:
        """Define them for every module (python_file and wheel tasks, imported helpers)."""
        self.install(builtins.__dict__)

    def _replace(self, session: Any) -> None:
        for namespace in self._namespaces:
            if namespace.get("spark") is self.spark:
                namespace["spark"] = session
            if not self.task_spark.is_connect and namespace.get("sc") is self.sc:
                namespace["sc"] = session.sparkContext


def install_session_hooks(task_spark: TaskSpark) -> None:
    """Make pyspark's ``getOrCreate``/``getActiveSession`` return the task's session, when
    pyspark is imported (now, if it already is)."""
    module = sys.modules.get(SESSION_MODULE)
    if module is not None:
        patch_session_module(module, task_spark)
        return
    sys.meta_path.insert(0, _PatchOnImport(task_spark))


def patch_session_module(module: ModuleType, task_spark: TaskSpark) -> None:
    """Wrap ``SparkSession.Builder.getOrCreate`` and ``SparkSession.getActiveSession``."""
    session_class = module.SparkSession
    if getattr(session_class, _PATCHED, None) is not None:
        return
    setattr(session_class, _PATCHED, task_spark)
    builder_class = session_class.Builder
    original_get_or_create = builder_class.getOrCreate
    original_get_active = session_class.getActiveSession

    def _wants_task_session() -> bool:
        # pyspark's own calls while the session is built pass through untouched.
        return task_spark.available and not task_spark.building

    def get_or_create(builder: Any) -> Any:
        # A builder naming its own remote wants that server; any other getOrCreate (with or
        # without a master: Databricks ignores it too) gets the task's session.
        if "spark.remote" not in builder._options and _wants_task_session():
            task_spark.session()
        return original_get_or_create(builder)

    def get_active_session(cls: Any) -> Any:
        found = original_get_active()
        if found is None and _wants_task_session():
            return task_spark.session()
        return found

    get_or_create.__doc__ = original_get_or_create.__doc__
    get_active_session.__doc__ = original_get_active.__doc__
    builder_class.getOrCreate = get_or_create
    session_class.getActiveSession = classmethod(get_active_session)


class _PatchOnImport:
    """A ``sys.meta_path`` finder that patches ``pyspark.sql.session`` once it is loaded."""

    def __init__(self, task_spark: TaskSpark) -> None:
        self._task_spark = task_spark

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None) -> Any:
        """The real spec of the session module, with a loader that patches after loading."""
        if fullname != SESSION_MODULE:
            return None
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _PatchingLoader(spec.loader, self._task_spark)
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        return spec


class _PatchingLoader:
    """Loads the module with the real loader, then patches it."""

    def __init__(self, loader: Any, task_spark: TaskSpark) -> None:
        self._loader = loader
        self._task_spark = task_spark

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        patch_session_module(module, self._task_spark)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)
