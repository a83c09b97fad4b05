"""The Clusters API's enums, with their wire values as the Databricks SDK spells them."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class ClusterState(StrEnum):
    """``compute.State``."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    RESTARTING = "RESTARTING"
    RESIZING = "RESIZING"
    TERMINATING = "TERMINATING"
    TERMINATED = "TERMINATED"
    ERROR = "ERROR"
    UNKNOWN = "UNKNOWN"

    @property
    def is_starting(self) -> bool:
        """Whether the cluster is on its way to RUNNING (a start is in flight)."""
        return self in _STARTING

    @property
    def is_active(self) -> bool:
        """Whether the cluster holds (or is getting) a running server."""
        return self in _STARTING or self is ClusterState.RUNNING


_STARTING: Final = frozenset({ClusterState.PENDING, ClusterState.RESTARTING, ClusterState.RESIZING})


class ClusterSource(StrEnum):
    """``compute.ClusterSource``: who made the cluster."""

    UI = "UI"
    API = "API"
    JOB = "JOB"


class TerminationType(StrEnum):
    """``compute.TerminationReasonType``."""

    SUCCESS = "SUCCESS"
    CLIENT_ERROR = "CLIENT_ERROR"
    SERVICE_FAULT = "SERVICE_FAULT"
    CLOUD_FAILURE = "CLOUD_FAILURE"


class TerminationCode(StrEnum):
    """The ``compute.TerminationReasonCode`` values brickyard gives, each with its type."""

    USER_REQUEST = "USER_REQUEST"
    JOB_FINISHED = "JOB_FINISHED"
    INACTIVITY = "INACTIVITY"
    SPARK_STARTUP_FAILURE = "SPARK_STARTUP_FAILURE"
    DRIVER_UNREACHABLE = "DRIVER_UNREACHABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"

    @property
    def termination_type(self) -> TerminationType:
        """The reason's type, as Databricks pairs them."""
        return _TYPES[self]


_TYPES: Final = {
    TerminationCode.USER_REQUEST: TerminationType.SUCCESS,
    TerminationCode.JOB_FINISHED: TerminationType.SUCCESS,
    TerminationCode.INACTIVITY: TerminationType.SUCCESS,
    TerminationCode.SPARK_STARTUP_FAILURE: TerminationType.CLIENT_ERROR,
    TerminationCode.DRIVER_UNREACHABLE: TerminationType.SERVICE_FAULT,
    TerminationCode.INTERNAL_ERROR: TerminationType.SERVICE_FAULT,
}


class ClusterEventType(StrEnum):
    """The ``compute.EventType`` values brickyard records."""

    CREATING = "CREATING"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    RESTARTING = "RESTARTING"
    RESIZING = "RESIZING"
    UPSIZE_COMPLETED = "UPSIZE_COMPLETED"
    EDITED = "EDITED"
    TERMINATING = "TERMINATING"
    PINNED = "PINNED"
    UNPINNED = "UNPINNED"
    DRIVER_HEALTHY = "DRIVER_HEALTHY"
    DRIVER_NOT_RESPONDING = "DRIVER_NOT_RESPONDING"
    SPARK_EXCEPTION = "SPARK_EXCEPTION"


class LibraryStatus(StrEnum):
    """``compute.LibraryInstallStatus``."""

    PENDING = "PENDING"
    RESOLVING = "RESOLVING"
    INSTALLING = "INSTALLING"
    INSTALLED = "INSTALLED"
    FAILED = "FAILED"
    UNINSTALL_ON_RESTART = "UNINSTALL_ON_RESTART"
    SKIPPED = "SKIPPED"
