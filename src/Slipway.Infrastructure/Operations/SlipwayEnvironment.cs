using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;
using Slipway.Infrastructure.Tools;
using Slipway.Infrastructure.Tracing;

namespace Slipway.Infrastructure.Operations;

/// <summary>
/// Everything an operation needs from the outside world, built once by the composition root (the only place that
/// reads SLIPWAY_* variables), so tests can swap any of it.
/// </summary>
public sealed record SlipwayEnvironment
{
    public required IProcessRunner Runner { get; init; }

    /// <summary>The directory relative paths on the command line resolve against, for every command alike.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>Where pods from other repositories are checked out (laconic-so's CERC_REPO_BASE_DIR).</summary>
    public required string RepositoryBase { get; init; }

    /// <summary><see cref="RepositoryBase"/> as a full path, a leading ~ expanded.</summary>
    public string DevRoot => Path.GetFullPath(Core.Stacks.StackResolver.ExpandHome(RepositoryBase), CurrentDirectory);

    public IReporter Reporter { get; init; } = NullReporter.Instance;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Folders where a bare stack name resolves: Slipway's shipped <c>stacks/</c>, then laconic-so's (<see cref="Composition.HostSettings.StackRoots"/>).</summary>
    /// <summary>laconic-so's data folders: a stack's compose, config and build files are looked for there last (<see cref="Core.Stacks.Stack.Load"/>).</summary>
    public IReadOnlyList<string> LaconicDataRoots { get; init; } = [];

    public IReadOnlyList<string> ShippedStackRoots { get; init; } = [];

    public ToolPaths Tools { get; init; } = ToolPaths.Default;

    /// <summary>How the fleet runs the system OpenSSH client.</summary>
    public Fleet.SshSettings Ssh { get; init; } = new();

    /// <summary>The backends, by deploy target.</summary>
    public BackendCatalog Backends { get; init; } = new([]);

    /// <summary>Where a variable the spec names (registry-credentials' token-env) is read.</summary>
    public Func<string, string?> GetEnvironment { get; init; } = _ => null;

    /// <summary>The user's home: where update reads ~/.slipway/config.yml (and laconic-so's ~/.laconic-so/config.yml).</summary>
    public string HomeDirectory { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>The folder holding the running slipway: what update replaces.</summary>
    public string InstallDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>The HTTP downloads of update.</summary>
    public Distribution.IReleaseDownloads Downloads { get; init; } = new Distribution.HttpReleaseDownloads();

    /// <summary>The image build-npms builds each package in (laconic-so's cerc/builder-js:local).</summary>
    public string NpmBuilderImage { get; init; } = Build.NpmBuild.BuilderImage;

    /// <summary>Random bytes for generated secrets (tests pin it).</summary>
    public Func<int, byte[]>? SecretBytes { get; init; }

    public Random Random { get; init; } = Random.Shared;

    /// <summary>Where the time goes, when SLIPWAY_TRACE asks (null: not traced).</summary>
    public RunTrace? Trace { get; init; }

    /// <summary>Verify's waits with the host's probe and poll interval (null: an environment that verifies nothing).</summary>
    public DeploymentVerifier? Verifier { get; init; }

    /// <summary>The stages of start, restart and rollback (null: an environment that runs no pipeline).</summary>
    public StagePlans? Plans { get; init; }

    /// <summary>The command's global flags, as laconic-so's commands.py hooks see them (opts.o).</summary>
    public Core.Stacks.LaconicOptions Flags { get; init; } = new();

    /// <summary>The tools, bound to <see cref="Runner"/>.</summary>
    public ToolBox ToolBox => Tools.With(Runner);

    /// <summary>A path from the command line, absolute.</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.Combine(CurrentDirectory, path));

    /// <summary>The deployment directory a command names (relative to <see cref="CurrentDirectory"/>), opened.</summary>
    public DeploymentSession OpenDeployment(string directory)
    {
        var session = DeploymentSession.Open(Resolve(directory));
        if (session.AdoptionNote is { } note) Reporter.Info(note);
        Trace?.Mark("deployment opened");
        return session;
    }

    public IDeploymentBackend Backend(DeploymentSession session, IProcessRunner? runner = null) => Backends.Create(session, runner ?? Runner);

    public PipelineEngine Pipeline() => new(new PipelineOptions
    {
        Runner = Runner,
        CreateBackend = Backends.Create,
        Plans = Plans ?? throw new InvalidOperationException("this environment has no stage plans"),
        Tools = Tools,
        Reporter = Reporter,
        Clock = Clock,
        GetEnvironment = GetEnvironment,
        RepositoryBase = RepositoryBase,
        DevRoot = RepositoryBase.Length == 0 ? null : DevRoot,
        LaconicDataRoots = LaconicDataRoots,
        Trace = Trace,
    });
}
