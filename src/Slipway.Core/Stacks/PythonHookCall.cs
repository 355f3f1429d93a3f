using System.Text.Json.Nodes;

namespace Slipway.Core.Stacks;

/// <summary>
/// What Slipway hands its Python bridge for one hook: the modules, laconic-so's global options, the stack, D (create and
/// start), the compose project run_container_command uses, setup's parameters and the extra arguments. <see cref="ToJson"/>
/// is the file the bridge reads; every key is read by Hooks/Python/slipway_bridge.py.
/// </summary>
public sealed record PythonHookCall
{
    public required string Hook { get; init; }

    public required IReadOnlyList<string> Modules { get; init; }

    public required string StackPath { get; init; }

    public required string StackName { get; init; }

    /// <summary>get_config_file_dir(): the stack's config folder, when it has one.</summary>
    public string? ConfigDirectory { get; init; }

    public LaconicOptions Options { get; init; } = new();

    public HookDeployment? Deployment { get; init; }

    public HookCompose? Compose { get; init; }

    /// <summary>deploy setup's flags as given (flag name without dashes → value; switches "true").</summary>
    public IReadOnlyDictionary<string, string>? SetupFlags { get; init; }

    /// <summary>setup's extra arguments; create's <c>[network_dir, initial_peers, *extra]</c> (null where not given).</summary>
    public IReadOnlyList<string?> ExtraArguments { get; init; } = [];

    /// <summary>Where the bridge writes the hook's result (init's dict) as JSON.</summary>
    public required string ResultFile { get; init; }

    /// <summary>laconic-so's LaconicStackSetupCommand fields and the flag each comes from; a switch is a bool, a value null when not given.</summary>
    public static readonly IReadOnlyList<(string Field, string Flag, bool Switch)> SetupFields =
    [
        ("chain_id", "chain-id", false), ("node_moniker", "node-moniker", false), ("key_name", "key-name", false),
        ("initialize_network", "initialize-network", true), ("join_network", "join-network", true),
        ("connect_network", "connect-network", true), ("create_network", "create-network", true),
        ("gentx_file_list", "gentx-files", false), ("gentx_address_list", "gentx-addresses", false),
        ("genesis_file", "genesis-file", false), ("network_dir", "network-dir", false),
    ];

    /// <summary>create's extra_args as laconic-so builds them: network_dir and initial_peers first, then the extra arguments.</summary>
    public static IReadOnlyList<string?> CreateArguments(string? networkDirectory, string? initialPeers, IReadOnlyList<string> extra) =>
        [networkDirectory, initialPeers, .. extra];

    public static JsonObject SetupParameters(IReadOnlyDictionary<string, string> flags)
    {
        var parameters = new JsonObject();
        foreach (var (field, flag, isSwitch) in SetupFields)
        {
            var given = flags.TryGetValue(flag, out var value);
            parameters[field] = isSwitch ? JsonValue.Create(given && value == "true") : given ? JsonValue.Create(value) : null;
        }

        return parameters;
    }

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["hook"] = Hook,
            ["modules"] = Strings(Modules),
            ["opts"] = Options.ToJson(),
            ["stack"] = new JsonObject { ["path"] = StackPath, ["name"] = StackName, ["config_dir"] = ConfigDirectory },
            ["deployment"] = Deployment?.ToJson(),
            ["compose"] = Compose?.ToJson(),
            ["setup"] = SetupFlags is null ? null : SetupParameters(SetupFlags),
            ["extra_args"] = Strings(ExtraArguments),
            ["result_file"] = ResultFile,
        };
        return root.ToJsonString();
    }

    internal static JsonArray Strings(IEnumerable<string?> values) => [.. values.Select(v => (JsonNode?)(v is null ? null : JsonValue.Create(v)))];
}

/// <summary>laconic-so's opts.o: the global flags of the command the hook runs in.</summary>
public sealed record LaconicOptions(bool Debug = false, bool Verbose = false, bool Quiet = false, bool DryRun = false, bool LocalStack = false,
    bool ContinueOnError = false, string? Stack = null)
{
    public JsonObject ToJson() => new()
    {
        ["debug"] = Debug, ["verbose"] = Verbose, ["quiet"] = Quiet, ["dry_run"] = DryRun, ["local_stack"] = LocalStack,
        ["continue_on_error"] = ContinueOnError, ["stack"] = Stack,
    };
}

/// <summary>D for a DeploymentContext: its folder, its id (laconic-so's <c>id</c> is the cluster-id) and deployment-id.</summary>
public sealed record HookDeployment(string Directory, string ClusterId, string DeploymentId)
{
    public JsonObject ToJson() => new() { ["dir"] = Directory, ["cluster_id"] = ClusterId, ["deployment_id"] = DeploymentId };
}

/// <summary>
/// The compose project a hook's run_container_command runs in: the command line Slipway's own compose calls start with
/// (program, <c>compose --project-name P [--env-file E] --file F...</c>), their environment (a null value unsets) and folder.
/// </summary>
public sealed record HookCompose(string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment, string? WorkingDirectory,
    string Project, IReadOnlyList<string> Files, string? EnvFile)
{
    public JsonObject ToJson()
    {
        var environment = new JsonObject();
        foreach (var (key, value) in Environment.OrderBy(e => e.Key, StringComparer.Ordinal)) environment[key] = value;
        return new JsonObject
        {
            ["program"] = Program,
            ["arguments"] = PythonHookCall.Strings(Arguments),
            ["environment"] = environment,
            ["working_directory"] = WorkingDirectory,
            ["project"] = Project,
            ["files"] = PythonHookCall.Strings(Files),
            ["env_file"] = EnvFile,
        };
    }
}
