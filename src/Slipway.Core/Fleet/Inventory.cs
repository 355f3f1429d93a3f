using Slipway.Core.Diagnostics;

namespace Slipway.Core.Fleet;

/// <summary>
/// The fleet inventory (fleet.yml in the operator repository): the hosts Slipway reaches over SSH and which deployment
/// runs where. Paths of <see cref="FleetDeployment.Spec"/> are relative to the repository; everything else is on the hosts.
/// </summary>
public sealed record Inventory
{
    public required string FilePath { get; init; }

    public IReadOnlyList<FleetHost> Hosts { get; init; } = [];

    public IReadOnlyList<FleetDeployment> Deployments { get; init; } = [];

    public FleetHost? Host(string name) => Hosts.FirstOrDefault(h => h.Name == name);

    /// <summary>The hosts a deployment runs on, in inventory order: those it names and those with one of its labels.</summary>
    public IReadOnlyList<FleetHost> HostsOf(FleetDeployment deployment) =>
        Hosts.Where(h => deployment.Hosts.Contains(h.Name) || h.Labels.Any(deployment.Labels.Contains)).ToList();

    /// <summary>What a fleet command works on: every (host, deployment) pair, hosts in inventory order, optionally narrowed.</summary>
    public IReadOnlyList<FleetTarget> Targets(IReadOnlyCollection<string>? hosts = null, IReadOnlyCollection<string>? deployments = null) =>
        Hosts.Where(h => hosts is null || hosts.Count == 0 || hosts.Contains(h.Name))
            .Select(h => new FleetTarget(h, Deployments.Where(d => (deployments is null || deployments.Count == 0 || deployments.Contains(d.Name)) && HostsOf(d).Contains(h)).ToList()))
            .Where(t => t.Deployments.Count > 0)
            .ToList();
}

/// <summary>One host: its SSH destination (anything `ssh` accepts: user@host, an alias of ~/.ssh/config), labels and variables.</summary>
public sealed record FleetHost
{
    public required string Name { get; init; }

    public required string Ssh { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Environment variables of every Slipway command the fleet runs on this host (compose interpolation sees them).</summary>
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();

    /// <summary>Where this host's clone of the operator repository is.</summary>
    public required string Repo { get; init; }

    /// <summary>The command that runs Slipway on the host (word-split).</summary>
    public required string Slipway { get; init; }

    /// <summary>Env files (secrets) that must exist on this host for every deployment it runs; never read by the fleet.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    public SourceLocation? Location { get; init; }
}

/// <summary>One deployment: a spec in the repository, its deployment directory on each host, where it runs.</summary>
public sealed record FleetDeployment
{
    public required string Name { get; init; }

    /// <summary>The spec file, relative to the repository root.</summary>
    public required string Spec { get; init; }

    /// <summary>The deployment directory D on the hosts (absolute).</summary>
    public required string Dir { get; init; }

    public IReadOnlyList<string> Hosts { get; init; } = [];

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Env files that must exist on every host this deployment runs on.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    public SourceLocation? Location { get; init; }
}

/// <summary>A host and the deployments a fleet command runs there, in inventory order.</summary>
public sealed record FleetTarget(FleetHost Host, IReadOnlyList<FleetDeployment> Deployments);
