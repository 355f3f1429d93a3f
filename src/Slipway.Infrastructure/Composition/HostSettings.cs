using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Composition;

/// <summary>
/// What the host gives a Slipway process: its current directory, where shipped stacks and pod repositories are, which
/// executables to drive. <see cref="FromEnvironment"/> is the only place that reads SLIPWAY_* variables.
/// </summary>
public sealed record HostSettings
{
    public required string CurrentDirectory { get; init; }

    public required string RepositoryBase { get; init; }

    public IReadOnlyList<string> ShippedStackRoots { get; init; } = [];

    /// <summary>
    /// SLIPWAY_LACONIC_DATA: laconic-so's data folders (holding stacks/, compose/, config/, ...), whose stacks resolve by name
    /// after Slipway's own. Null: the stack-orchestrator checkout in the dev root, where fetch-stack puts it.
    /// </summary>
    public IReadOnlyList<string>? LaconicDataRoots { get; init; }

    public ToolPaths Tools { get; init; } = ToolPaths.Default;

    /// <summary>SLIPWAY_SSH (the ssh executable) and SLIPWAY_SSH_CONFIG (an ssh -F file; default: the operator's ~/.ssh/config).</summary>
    public Fleet.SshSettings Ssh { get; init; } = new();

    /// <summary>Where variables the spec names (registry-credentials' token-env) are read.</summary>
    public Func<string, string?> GetEnvironment { get; init; } = _ => null;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Random bytes for generated secrets; null: the system's cryptographic source.</summary>
    public Func<int, byte[]>? SecretBytes { get; init; }

    /// <summary>The user's home (update's ~/.slipway/config.yml).</summary>
    public string HomeDirectory { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>The folder holding the running slipway (what update replaces).</summary>
    public string InstallDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>SLIPWAY_TRACE: where to write the trace of where the command's time went (null: no trace).</summary>
    public string? TracePath { get; init; }

    /// <summary>The image build-npms builds in: laconic-so's cerc/builder-js:local (tests give one of their own, so they never replace an operator's).</summary>
    public string NpmBuilderImage { get; init; } = Build.NpmBuild.BuilderImage;

    /// <summary>How often verify polls the backend for health.</summary>
    public TimeSpan HealthPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The global --debug: a deployment's compose calls and pod scripts get CERC_SCRIPT_DEBUG=true, as laconic-so exports it.</summary>
    public bool ScriptDebug { get; init; }

    public static HostSettings FromEnvironment()
    {
        static string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        return new HostSettings
        {
            CurrentDirectory = Directory.GetCurrentDirectory(),
            RepositoryBase = Get("SLIPWAY_REPO_BASE_DIR") ?? Get("CERC_REPO_BASE_DIR")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "cerc"),
            ShippedStackRoots = Get("SLIPWAY_STACKS_PATH")?.Split(':', StringSplitOptions.RemoveEmptyEntries) ?? RepositoryStacks(),
            Tools = new ToolPaths(
                Docker: Get("SLIPWAY_DOCKER") ?? "docker",
                Kubectl: Get("SLIPWAY_KUBECTL") ?? "kubectl",
                Kind: Get("SLIPWAY_KIND") ?? "kind",
                Git: Get("SLIPWAY_GIT") ?? "git",
                Helm: Get("SLIPWAY_HELM") ?? "helm",
                Python: Get("SLIPWAY_PYTHON") ?? "python3"),
            Ssh = new Fleet.SshSettings(Get("SLIPWAY_SSH") ?? "ssh", Get("SLIPWAY_SSH_CONFIG"), Get("SLIPWAY_SSH_MULTIPLEX") is not ("0" or "false" or "no")),
            GetEnvironment = Environment.GetEnvironmentVariable,
            TracePath = Get("SLIPWAY_TRACE"),
            LaconicDataRoots = Get("SLIPWAY_LACONIC_DATA")?.Split(':', StringSplitOptions.RemoveEmptyEntries),
        };
    }

    /// <summary>Where stacks resolve by name: Slipway's shipped roots first, then laconic-so's data folders' stacks/ that exist.</summary>
    public IReadOnlyList<string> StackRoots() =>
        [.. ShippedStackRoots, .. LaconicData().Select(data => Path.Combine(data, "stacks")).Where(Directory.Exists)];

    /// <summary>laconic-so's data folders that exist (<see cref="LaconicDataRoots"/>, else the checkout in the dev root).</summary>
    public IReadOnlyList<string> LaconicData() =>
        [.. (LaconicDataRoots ?? [Path.Combine(RepositoryBase, "stack-orchestrator", "stack_orchestrator", "data")]).Where(Directory.Exists)];

    /// <summary>Stacks shipped with Slipway: the repository's stacks/ above the binary.</summary>
    private static IReadOnlyList<string> RepositoryStacks()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var stacks = Path.Combine(dir.FullName, "stacks");
            if (Directory.Exists(stacks) && File.Exists(Path.Combine(dir.FullName, "Slipway.slnx")))
            {
                return [stacks];
            }
        }

        return [];
    }
}
