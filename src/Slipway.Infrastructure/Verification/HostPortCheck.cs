using System.Globalization;
using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Verification;

/// <summary>
/// prepare's host port check on one Docker host: a fixed host port a service publishes that something else holds is
/// refused before anything starts (compose would create the other containers, then fail on this one). The holder is
/// named when it can be found: a running container of another project (<c>docker ps</c> port bindings), else, on a
/// local engine, the listening socket in <c>/proc/net/*</c> and the process whose <c>/proc/PID/fd</c> has it.
/// A port the deployment's own containers hold is theirs to give up on recreate.
/// </summary>
internal sealed class HostPortCheck(Docker docker, string procRoot = "/proc")
{
    public const string Code = "SW016";

    /// <summary>One line per port held by something else, at the spec's network.ports entry (or the service in D's compose file).</summary>
    public async Task<IReadOnlyList<Diagnostic>> CheckAsync(IReadOnlyList<WantedHostPort> wanted, string project, bool localEngine, CancellationToken cancellationToken)
    {
        if (wanted.Count == 0) return [];
        var problems = HostPorts.Clashes(wanted).Select(c => Diagnostic.Error(Code,
            $"host port {c.Second.Describe()} of service {c.Second.Service} (\"{c.Second.PortText}\") is also published by {(c.First.Service == c.Second.Service ? "another of its ports" : "service " + c.First.Service)} (\"{c.First.PortText}\", {c.First.At})",
            c.Second.At)).ToList();
        var containers = await ContainersAsync(cancellationToken);
        var listeners = localEngine ? Listeners() : [];
        Dictionary<long, string>? holders = null;
        foreach (var port in wanted)
        {
            var container = containers.FirstOrDefault(c => c.Ports.Any(p => p.HostPort == port.Port && p.Protocol == port.Protocol && HostPorts.Collides(port.HostIp, p.HostIp)));
            string? holder = null;
            if (container is not null)
            {
                if (container.Project == project) continue;
                holder = $"container {container.Name}" + (container.Project is { Length: > 0 } other ? $" (compose project {other})" : "");
            }
            else if (listeners.FirstOrDefault(l => l.Port == port.Port && l.Protocol == port.Protocol && HostPorts.Collides(port.HostIp, l.Address)) is { } listener)
            {
                holders ??= SocketHolders(listeners.Select(l => l.Inode).ToHashSet());
                holder = holders.TryGetValue(listener.Inode, out var process)
                    ? $"{process} (listening on {Endpoint(listener)})"
                    : $"a process this user cannot see (listening on {Endpoint(listener)}; 'ss -lntup' names it as root)";
            }

            if (holder is null) continue;
            problems.Add(Diagnostic.Error(Code, $"host port {port.Describe()} of service {port.Service} (\"{port.PortText}\") is already in use by {holder}"
                + (port.InSpec ? "" : $" (the compose file publishes it; network.ports.{port.Service} in the spec chooses another)"), port.At));
        }

        return problems;
    }

    /// <summary>Whether <c>/proc</c> here sees the engine's network: DOCKER_HOST unset or a unix socket, and no docker context.</summary>
    public static bool IsLocalEngine(Func<string, string?> getEnvironment) =>
        string.IsNullOrEmpty(getEnvironment("DOCKER_CONTEXT"))
        && (getEnvironment("DOCKER_HOST") is not { Length: > 0 } host || host.StartsWith("unix://", StringComparison.Ordinal));

    private sealed record RunningContainer(string Name, string? Project, IReadOnlyList<Backends.PublishedPort> Ports);

    /// <summary>Running containers with their port bindings; none when the engine cannot say (the apply will say why).</summary>
    private async Task<IReadOnlyList<RunningContainer>> ContainersAsync(CancellationToken cancellationToken)
    {
        var result = await docker.RunAsync(["ps", "--no-trunc", "--format", "{{json .}}"], cancellationToken, TimeSpan.FromSeconds(30));
        if (!result.Succeeded) return [];
        var containers = new List<RunningContainer>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                var item = JsonDocument.Parse(line).RootElement;
                var labels = Text(item, "Labels");
                var project = labels.Split(',').Select(l => l.Split('=', 2)).FirstOrDefault(kv => kv.Length == 2 && kv[0] == "com.docker.compose.project")?[1];
                containers.Add(new RunningContainer(Text(item, "Names"), project, DockerPs.ParsePorts(Text(item, "Ports"))));
            }
            catch (JsonException)
            {
                // a line that is not JSON names no port
            }
        }

        return containers;
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    private List<HostListener> Listeners()
    {
        var listeners = new List<HostListener>();
        foreach (var (file, protocol) in new[] { ("tcp", "tcp"), ("tcp6", "tcp"), ("udp", "udp"), ("udp6", "udp") })
        {
            try
            {
                listeners.AddRange(HostPorts.ParseProcNet(File.ReadAllText(Path.Combine(procRoot, "net", file)), protocol));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // no such family here
            }
        }

        return listeners;
    }

    /// <summary>socket inode → "process NAME (pid N)", for the inodes asked about, from each process's open file descriptors.</summary>
    private Dictionary<long, string> SocketHolders(HashSet<long> inodes)
    {
        var holders = new Dictionary<long, string>();
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories(procRoot).Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return holders;
        }

        foreach (var process in processes)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal) || !target.EndsWith(']')) continue;
                    if (!long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode) || !inodes.Contains(inode)) continue;
                    if (holders.ContainsKey(inode)) continue;
                    var name = File.ReadAllText(Path.Combine(process, "comm")).Trim();
                    holders[inode] = $"process {name} (pid {Path.GetFileName(process)})";
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone, or not ours to look at
            }
        }

        return holders;
    }

    private static string Endpoint(HostListener listener) =>
        $"{(listener.Address.Contains(':') ? $"[{listener.Address}]" : listener.Address)}:{listener.Port.ToString(CultureInfo.InvariantCulture)}/{listener.Protocol}";
}
