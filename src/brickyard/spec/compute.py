"""Compute models: cluster specs, job clusters, libraries and environments (jobs-api.md §4.5).

Only the fields brickyard acts on are typed; every other cluster attribute (cloud attributes,
docker image, ...) is kept verbatim as an extra field.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from brickyard.spec.base import ApiModel, LenientBool, LenientInt, StrMap
from brickyard.spec.enums import DataSecurityMode, RuntimeEngine


class AutoScale(ApiModel):
    """Autoscaling bounds of a cluster."""

    min_workers: LenientInt | None = Field(default=None, ge=0)
    max_workers: LenientInt | None = Field(default=None, ge=0)


class ClusterSpec(ApiModel):
    """A ``new_cluster`` (compute.ClusterSpec): sizes brickyard's local Spark and environment."""

    spark_version: str | None = None
    node_type_id: str | None = None
    driver_node_type_id: str | None = None
    num_workers: LenientInt | None = Field(default=None, ge=0)
    autoscale: AutoScale | None = None
    spark_conf: StrMap | None = None
    spark_env_vars: StrMap | None = None
    custom_tags: StrMap | None = None
    cluster_name: str | None = None
    instance_pool_id: str | None = None
    driver_instance_pool_id: str | None = None
    policy_id: str | None = None
    apply_policy_default_values: LenientBool | None = None
    data_security_mode: DataSecurityMode | None = None
    single_user_name: str | None = None
    runtime_engine: RuntimeEngine | None = None
    autotermination_minutes: LenientInt | None = Field(default=None, ge=0)
    init_scripts: list[dict[str, Any]] | None = None
    cluster_log_conf: dict[str, Any] | None = None
    enable_elastic_disk: LenientBool | None = None
    is_single_node: LenientBool | None = None
    use_ml_runtime: LenientBool | None = None


class JobCluster(ApiModel):
    """A cluster shared by the tasks of one run that name its ``job_cluster_key``."""

    job_cluster_key: str
    new_cluster: ClusterSpec | None = None


class PythonPyPiLibrary(ApiModel):
    """A PyPI package requirement."""

    package: str
    repo: str | None = None


class MavenLibrary(ApiModel):
    """A Maven artifact."""

    coordinates: str
    repo: str | None = None
    exclusions: list[str] | None = None


class RCranLibrary(ApiModel):
    """A CRAN package."""

    package: str
    repo: str | None = None


class Library(ApiModel):
    """One task library; exactly one of the fields is set."""

    pypi: PythonPyPiLibrary | None = None
    whl: str | None = None
    jar: str | None = None
    maven: MavenLibrary | None = None
    egg: str | None = None
    requirements: str | None = None
    cran: RCranLibrary | None = None


class Environment(ApiModel):
    """A serverless environment spec (compute.Environment)."""

    environment_version: str | None = None
    client: str | None = None
    dependencies: list[str] | None = None
    java_dependencies: list[str] | None = None
    base_environment: str | None = None
    project_environment: str | None = None


class JobEnvironment(ApiModel):
    """A named environment that tasks select with ``environment_key``."""

    environment_key: str
    spec: Environment | None = None


class EnvironmentVariablesSpec(ApiModel):
    """Variables (and ``.env`` files) of a named environment-variable set."""

    variables: StrMap | None = Field(default=None, max_length=20)
    files: list[str] | None = Field(default=None, max_length=5)


class JobEnvironmentVariables(ApiModel):
    """A named environment-variable set that tasks select with ``environment_variables_key``."""

    environment_variables_key: str
    spec: EnvironmentVariablesSpec | None = None
