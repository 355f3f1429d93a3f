namespace Slipway.Core.Compose;

/// <summary>The keys of the Compose specification that Slipway accepts (plus <c>x-*</c> extensions everywhere).</summary>
internal static class ComposeKeys
{
    public static readonly IReadOnlyList<string> TopLevel =
        ["version", "name", "services", "networks", "volumes", "secrets", "configs", "include"];

    public static readonly IReadOnlyList<string> Service =
    [
        "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
        "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
        "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
        "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
        "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck",
        "hostname", "image", "init", "ipc", "isolation", "label_file", "labels", "links", "logging", "mac_address",
        "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "network_mode", "networks",
        "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged", "profiles",
        "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size",
        "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits",
        "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
    ];

    public static readonly IReadOnlyList<string> ServiceVolumeLong =
        ["type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency"];

    public static bool IsExtension(string key) => key.StartsWith("x-", StringComparison.Ordinal);
}
