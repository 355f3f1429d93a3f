from dataclasses import dataclass
from typing import Any, List, Optional

# create() and start() get this class; some hooks import it from here.
from stack_orchestrator.deploy.deployment_context import DeploymentContext  # noqa: F401


@dataclass
class ClusterContext:
    options: Any
    cluster: Optional[str]
    compose_files: List[str]
    pre_start_commands: List[str]
    post_start_commands: List[str]
    config: Any
    env_file: Optional[str]


@dataclass
class DeployCommandContext:
    stack: str
    cluster_context: ClusterContext
    deployer: Any


@dataclass
class VolumeMapping:
    host_path: str
    container_path: str


@dataclass
class LaconicStackSetupCommand:
    chain_id: Optional[str] = None
    node_moniker: Optional[str] = None
    key_name: Optional[str] = None
    initialize_network: bool = False
    join_network: bool = False
    connect_network: bool = False
    create_network: bool = False
    gentx_file_list: Optional[str] = None
    gentx_address_list: Optional[str] = None
    genesis_file: Optional[str] = None
    network_dir: Optional[str] = None


@dataclass
class LaconicStackCreateCommand:
    network_dir: str
