"""The node types a cluster spec may name, with the cores and memory they stand for.

A ``node_type_id`` sizes brickyard's local Spark (capped by this machine) and is what
``clusters/list-node-types`` lists. The figures are the clouds' published instance sizes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Cloud(StrEnum):
    """The cloud a node type belongs to."""

    AZURE = "azure"
    AWS = "aws"
    GCP = "gcp"


@dataclass(frozen=True)
class NodeType:
    """One instance type: its cores, memory and what Databricks calls its category."""

    node_type_id: str
    num_cores: int
    memory_mb: int
    cloud: Cloud
    category: str
    num_gpus: int = 0

    @property
    def description(self) -> str:
        """The line ``list-node-types`` shows."""
        gpus = f", {self.num_gpus} GPU" if self.num_gpus else ""
        memory_gb = self.memory_mb / 1024
        return f"{self.node_type_id} ({self.num_cores} cores, {memory_gb:g} GB{gpus})"


def _gb(value: float) -> int:
    return round(value * 1024)


_GENERAL = "General Purpose"
_MEMORY = "Memory Optimized"
_COMPUTE = "Compute Optimized"
_STORAGE = "Storage Optimized"
_GPU = "GPU Accelerated"

_TABLE = (
    # Azure
    NodeType("Standard_DS3_v2", 4, _gb(14), Cloud.AZURE, _GENERAL),
    NodeType("Standard_DS4_v2", 8, _gb(28), Cloud.AZURE, _GENERAL),
    NodeType("Standard_DS5_v2", 16, _gb(56), Cloud.AZURE, _GENERAL),
    NodeType("Standard_D4s_v3", 4, _gb(16), Cloud.AZURE, _GENERAL),
    NodeType("Standard_D8s_v3", 8, _gb(32), Cloud.AZURE, _GENERAL),
    NodeType("Standard_D16s_v3", 16, _gb(64), Cloud.AZURE, _GENERAL),
    NodeType("Standard_D4ds_v5", 4, _gb(16), Cloud.AZURE, _GENERAL),
    NodeType("Standard_D8ds_v5", 8, _gb(32), Cloud.AZURE, _GENERAL),
    NodeType("Standard_E4ds_v4", 4, _gb(32), Cloud.AZURE, _MEMORY),
    NodeType("Standard_E8ds_v4", 8, _gb(64), Cloud.AZURE, _MEMORY),
    NodeType("Standard_E16ds_v4", 16, _gb(128), Cloud.AZURE, _MEMORY),
    NodeType("Standard_F4s", 4, _gb(8), Cloud.AZURE, _COMPUTE),
    NodeType("Standard_F8s", 8, _gb(16), Cloud.AZURE, _COMPUTE),
    NodeType("Standard_L8s_v2", 8, _gb(64), Cloud.AZURE, _STORAGE),
    NodeType("Standard_NC6s_v3", 6, _gb(112), Cloud.AZURE, _GPU, num_gpus=1),
    # AWS
    NodeType("m5.large", 2, _gb(8), Cloud.AWS, _GENERAL),
    NodeType("m5.xlarge", 4, _gb(16), Cloud.AWS, _GENERAL),
    NodeType("m5.2xlarge", 8, _gb(32), Cloud.AWS, _GENERAL),
    NodeType("m5.4xlarge", 16, _gb(64), Cloud.AWS, _GENERAL),
    NodeType("m5d.large", 2, _gb(8), Cloud.AWS, _GENERAL),
    NodeType("m5d.xlarge", 4, _gb(16), Cloud.AWS, _GENERAL),
    NodeType("m6i.xlarge", 4, _gb(16), Cloud.AWS, _GENERAL),
    NodeType("m6i.2xlarge", 8, _gb(32), Cloud.AWS, _GENERAL),
    NodeType("r5.xlarge", 4, _gb(32), Cloud.AWS, _MEMORY),
    NodeType("r5.2xlarge", 8, _gb(64), Cloud.AWS, _MEMORY),
    NodeType("c5.xlarge", 4, _gb(8), Cloud.AWS, _COMPUTE),
    NodeType("c5.2xlarge", 8, _gb(16), Cloud.AWS, _COMPUTE),
    NodeType("i3.xlarge", 4, _gb(30.5), Cloud.AWS, _STORAGE),
    NodeType("i3.2xlarge", 8, _gb(61), Cloud.AWS, _STORAGE),
    NodeType("g4dn.xlarge", 4, _gb(16), Cloud.AWS, _GPU, num_gpus=1),
    # GCP
    NodeType("n1-standard-4", 4, _gb(15), Cloud.GCP, _GENERAL),
    NodeType("n1-standard-8", 8, _gb(30), Cloud.GCP, _GENERAL),
    NodeType("n1-standard-16", 16, _gb(60), Cloud.GCP, _GENERAL),
    NodeType("n2-standard-4", 4, _gb(16), Cloud.GCP, _GENERAL),
    NodeType("n2-standard-8", 8, _gb(32), Cloud.GCP, _GENERAL),
    NodeType("n1-highmem-4", 4, _gb(26), Cloud.GCP, _MEMORY),
    NodeType("n1-highmem-8", 8, _gb(52), Cloud.GCP, _MEMORY),
    NodeType("c2-standard-8", 8, _gb(32), Cloud.GCP, _COMPUTE),
    NodeType("a2-highgpu-1g", 12, _gb(85), Cloud.GCP, _GPU, num_gpus=1),
)

NODE_TYPES: Mapping[str, NodeType] = MappingProxyType({node.node_type_id: node for node in _TABLE})
"""Every known node type by id."""

DEFAULT_NODE_TYPE = NODE_TYPES["Standard_DS3_v2"]
"""What a cluster spec without ``node_type_id`` is sized as."""


def find_node_type(node_type_id: str) -> NodeType | None:
    """The node type ``node_type_id`` names, or None when brickyard does not know it."""
    return NODE_TYPES.get(node_type_id)


def unknown_node_type_message(node_type_id: str) -> str:
    """The one-line error for a node type that is not in the table, with the closest ids."""
    import difflib

    close = difflib.get_close_matches(node_type_id, list(NODE_TYPES), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else " (see clusters/list-node-types)"
    return f"node_type_id {node_type_id!r} is not a known node type{hint}"
