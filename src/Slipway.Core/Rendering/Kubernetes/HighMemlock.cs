namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// <c>security.unlimited-memlock</c>: the OCI runtime spec of the <c>high-memlock</c> containerd runtime (containerd's own
/// default spec, as <c>ctr oci spec</c> prints it, with RLIMIT_MEMLOCK unlimited and RLIMIT_NOFILE 1048576), the
/// RuntimeClass the pods name, and the kind node patch that defines the runtime. containerd takes a base spec whole,
/// so it must be complete: a spec with only the rlimits would start containers without /proc or /dev.
/// </summary>
internal static class HighMemlock
{
    public const string RuntimeClassName = "high-memlock";

    /// <summary>The runtime spec, in D (kind mounts it into the node at the same path).</summary>
    public const string SpecFile = "high-memlock-spec.json";

    public static string ContainerdPatch(string specPath) =>
        "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.high-memlock]\n"
        + "  runtime_type = \"io.containerd.runc.v2\"\n"
        + $"  base_runtime_spec = \"{specPath}\"\n";

    public const string RuntimeSpec = """
        {
          "ociVersion": "1.0.2-dev",
          "process": {
            "user": {
              "uid": 0,
              "gid": 0
            },
            "cwd": "/",
            "capabilities": {
              "bounding": [
                "CAP_CHOWN",
                "CAP_DAC_OVERRIDE",
                "CAP_FSETID",
                "CAP_FOWNER",
                "CAP_MKNOD",
                "CAP_NET_RAW",
                "CAP_SETGID",
                "CAP_SETUID",
                "CAP_SETFCAP",
                "CAP_SETPCAP",
                "CAP_NET_BIND_SERVICE",
                "CAP_SYS_CHROOT",
                "CAP_KILL",
                "CAP_AUDIT_WRITE"
              ],
              "effective": [
                "CAP_CHOWN",
                "CAP_DAC_OVERRIDE",
                "CAP_FSETID",
                "CAP_FOWNER",
                "CAP_MKNOD",
                "CAP_NET_RAW",
                "CAP_SETGID",
                "CAP_SETUID",
                "CAP_SETFCAP",
                "CAP_SETPCAP",
                "CAP_NET_BIND_SERVICE",
                "CAP_SYS_CHROOT",
                "CAP_KILL",
                "CAP_AUDIT_WRITE"
              ],
              "permitted": [
                "CAP_CHOWN",
                "CAP_DAC_OVERRIDE",
                "CAP_FSETID",
                "CAP_FOWNER",
                "CAP_MKNOD",
                "CAP_NET_RAW",
                "CAP_SETGID",
                "CAP_SETUID",
                "CAP_SETFCAP",
                "CAP_SETPCAP",
                "CAP_NET_BIND_SERVICE",
                "CAP_SYS_CHROOT",
                "CAP_KILL",
                "CAP_AUDIT_WRITE"
              ]
            },
            "rlimits": [
              {
                "type": "RLIMIT_NOFILE",
                "hard": 1048576,
                "soft": 1048576
              },
              {
                "type": "RLIMIT_MEMLOCK",
                "hard": 18446744073709551615,
                "soft": 18446744073709551615
              }
            ],
            "noNewPrivileges": true
          },
          "root": {
            "path": "rootfs"
          },
          "mounts": [
            {
              "destination": "/proc",
              "type": "proc",
              "source": "proc",
              "options": [
                "nosuid",
                "noexec",
                "nodev"
              ]
            },
            {
              "destination": "/dev",
              "type": "tmpfs",
              "source": "tmpfs",
              "options": [
                "nosuid",
                "strictatime",
                "mode=755",
                "size=65536k"
              ]
            },
            {
              "destination": "/dev/pts",
              "type": "devpts",
              "source": "devpts",
              "options": [
                "nosuid",
                "noexec",
                "newinstance",
                "ptmxmode=0666",
                "mode=0620",
                "gid=5"
              ]
            },
            {
              "destination": "/dev/shm",
              "type": "tmpfs",
              "source": "shm",
              "options": [
                "nosuid",
                "noexec",
                "nodev",
                "mode=1777",
                "size=65536k"
              ]
            },
            {
              "destination": "/dev/mqueue",
              "type": "mqueue",
              "source": "mqueue",
              "options": [
                "nosuid",
                "noexec",
                "nodev"
              ]
            },
            {
              "destination": "/sys",
              "type": "sysfs",
              "source": "sysfs",
              "options": [
                "nosuid",
                "noexec",
                "nodev",
                "ro"
              ]
            },
            {
              "destination": "/run",
              "type": "tmpfs",
              "source": "tmpfs",
              "options": [
                "nosuid",
                "strictatime",
                "mode=755",
                "size=65536k"
              ]
            }
          ],
          "linux": {
            "resources": {
              "devices": [
                {
                  "allow": false,
                  "access": "rwm"
                }
              ]
            },
            "cgroupsPath": "/default",
            "namespaces": [
              {
                "type": "pid"
              },
              {
                "type": "ipc"
              },
              {
                "type": "uts"
              },
              {
                "type": "mount"
              },
              {
                "type": "network"
              }
            ],
            "maskedPaths": [
              "/proc/acpi",
              "/proc/asound",
              "/proc/kcore",
              "/proc/keys",
              "/proc/latency_stats",
              "/proc/timer_list",
              "/proc/timer_stats",
              "/proc/sched_debug",
              "/sys/firmware",
              "/proc/scsi"
            ],
            "readonlyPaths": [
              "/proc/bus",
              "/proc/fs",
              "/proc/irq",
              "/proc/sys",
              "/proc/sysrq-trigger"
            ]
          }
        }
        """;
}
