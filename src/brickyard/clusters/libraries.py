"""A cluster's libraries: their statuses, their installation, and the jars they put on the
cluster's classpath.

Each library is a row with a status (PENDING → INSTALLING → INSTALLED or FAILED with the
installer's message). Libraries waiting on a stopped cluster are installed when it starts,
before its server, so their jars are on the server's classpath from the start; one installed
on a running cluster is installed at once and its jars reach the cluster's tasks as Spark
Connect artifacts (:meth:`ClusterLibraries.classpath` beside the server's own jars).
``uninstall`` marks a library UNINSTALL_ON_RESTART: a running JVM cannot unload a jar, so it
goes at the next start, as on Databricks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from brickyard import storage
from brickyard.clusters.runtime import LibraryInstaller
from brickyard.clusters.states import LibraryStatus
from brickyard.spec import Library

_JVM_KINDS = ("jar", "maven")


def is_jvm_library(library: Mapping[str, Any]) -> bool:
    """Whether the library puts jars on the cluster's classpath (``jar``, ``maven``)."""
    return any(kind in library for kind in _JVM_KINDS)


class ClusterLibraries:
    """The libraries of the clusters in ``database``, installed by ``installer``."""

    def __init__(self, database: storage.Database, installer: LibraryInstaller | None) -> None:
        self._db = database
        self._installer = installer

    def add(self, cluster_id: str, libraries: Sequence[Mapping[str, Any]]) -> None:
        """Add libraries (PENDING); a library the cluster has already is left as it is."""
        with self._db.transaction() as conn:
            storage.read_cluster(conn, cluster_id)
            storage.add_cluster_libraries(conn, cluster_id, libraries, status=LibraryStatus.PENDING)

    def uninstall(self, cluster_id: str, libraries: Sequence[Mapping[str, Any]]) -> None:
        """Mark libraries UNINSTALL_ON_RESTART."""
        with self._db.transaction() as conn:
            storage.read_cluster(conn, cluster_id)
            known = {r.library_key for r in storage.list_cluster_libraries(conn, cluster_id)}
            for library in libraries:
                key = storage.library_key(library)
                if key in known:
                    storage.set_library_status(
                        conn,
                        cluster_id,
                        key,
                        status=LibraryStatus.UNINSTALL_ON_RESTART,
                        messages=["The library is removed when the cluster restarts."],
                    )

    def statuses(self, cluster_id: str) -> list[storage.ClusterLibraryRecord]:
        """A cluster's libraries with their status."""
        with self._db.read() as conn:
            storage.read_cluster(conn, cluster_id)
            return storage.list_cluster_libraries(conn, cluster_id)

    def for_tasks(self, cluster_id: str) -> list[Library]:
        """The libraries a task on the cluster may use: all but those that failed (one marked
        for uninstall stays until the restart, as on Databricks)."""
        with self._db.read() as conn:
            records = storage.list_cluster_libraries(conn, cluster_id)
        return [
            Library.model_validate(record.library)
            for record in records
            if record.status != LibraryStatus.FAILED
        ]

    def reset_for_start(self, conn: Any, cluster_id: str) -> None:
        """At a (re)start, in the caller's transaction: drop libraries marked for uninstall,
        and install the others again."""
        for library in storage.list_cluster_libraries(conn, cluster_id):
            if library.status == LibraryStatus.UNINSTALL_ON_RESTART:
                storage.delete_cluster_library(conn, cluster_id, library.library_key)
            else:
                storage.set_library_status(
                    conn, cluster_id, library.library_key, status=LibraryStatus.PENDING, messages=[]
                )

    def install_pending(self, cluster_id: str) -> None:
        """Install every PENDING library of the cluster, recording each outcome."""
        with self._db.read() as conn:
            pending = [
                record
                for record in storage.list_cluster_libraries(conn, cluster_id)
                if record.status == LibraryStatus.PENDING
            ]
        for record in pending:
            self._install(cluster_id, record)

    def classpath(self, cluster_id: str) -> list[Path]:
        """The jars of the cluster's installed ``jar`` and ``maven`` libraries (resolved from
        the caches the installation filled: no download)."""
        if self._installer is None:
            return []
        with self._db.read() as conn:
            records = storage.list_cluster_libraries(conn, cluster_id)
        jars: list[Path] = []
        for record in records:
            if record.status == LibraryStatus.FAILED or not is_jvm_library(record.library):
                continue
            try:
                jars.extend(self._installer.install(cluster_id, record.library))
            except Exception:
                continue
        return list(dict.fromkeys(jars))

    def failures(self, cluster_id: str, libraries: Sequence[Library]) -> list[str]:
        """The messages of those of ``libraries`` that failed to install on the cluster."""
        wanted = {
            storage.library_key(lib.model_dump(exclude_none=True, mode="json")) for lib in libraries
        }
        with self._db.read() as conn:
            records = storage.list_cluster_libraries(conn, cluster_id)
        return [
            "; ".join(record.messages) or f"library {record.library} could not be installed"
            for record in records
            if record.library_key in wanted and record.status == LibraryStatus.FAILED
        ]

    def _install(self, cluster_id: str, record: storage.ClusterLibraryRecord) -> None:
        if self._installer is None:
            self._set(cluster_id, record, LibraryStatus.FAILED, ["no library installer is set up"])
            return
        self._set(cluster_id, record, LibraryStatus.INSTALLING)
        try:
            self._installer.install(cluster_id, record.library)
        except Exception as error:  # the library's own failure, shown in its status
            self._set(cluster_id, record, LibraryStatus.FAILED, [str(error)])
            return
        self._set(cluster_id, record, LibraryStatus.INSTALLED)

    def _set(
        self,
        cluster_id: str,
        record: storage.ClusterLibraryRecord,
        status: LibraryStatus,
        messages: Sequence[str] = (),
    ) -> None:
        with self._db.transaction() as conn:
            storage.set_library_status(
                conn, cluster_id, record.library_key, status=status, messages=messages
            )
