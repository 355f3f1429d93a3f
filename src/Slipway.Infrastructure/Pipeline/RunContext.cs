using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>
/// What a stage works with: the deployment session and its backend (both replaced together by <see cref="Reload"/>
/// after a stage rewrote D), the run record and its stores, and the run's log, through which every child command goes.
/// </summary>
public sealed class RunContext
{
    private readonly Func<DeploymentSession, IProcessRunner, IDeploymentBackend> _createBackend;

    public RunContext(DeploymentSession session, RunRecord run, FileCommandLog log, IProcessRunner runner, ToolPaths tools,
        Func<DeploymentSession, IProcessRunner, IDeploymentBackend> createBackend, IReporter reporter, TimeProvider clock, Func<string, string?> getEnvironment)
    {
        GetEnvironment = getEnvironment;
        _createBackend = createBackend;
        Run = run;
        Log = log;
        Runner = new LoggingProcessRunner(new ChildRecordingProcessRunner(runner, Started, Ended), log);
        Tools = tools.With(Runner);
        Reporter = reporter;
        Clock = clock;
        Session = session;
        Backend = createBackend(session, Runner);
        Runs = new RunStore(session.Layout);
        Revisions = new RevisionStore(session.Layout);
        log.Redact(session.SecretValues);
    }

    public DeploymentSession Session { get; private set; }

    /// <summary>The backend of <see cref="Session"/>, made with the run's logging runner.</summary>
    public IDeploymentBackend Backend { get; private set; }

    public RunRecord Run { get; }

    public RunStore Runs { get; }

    public RevisionStore Revisions { get; }

    public FileCommandLog Log { get; }

    /// <summary>Runs child commands into the run log (secrets redacted): every child of a stage goes through it.</summary>
    public IProcessRunner Runner { get; }

    /// <summary>The tools, bound to <see cref="Runner"/>.</summary>
    public ToolBox Tools { get; }

    public IReporter Reporter { get; }

    public TimeProvider Clock { get; }

    /// <summary>Where a variable the spec names (registry-credentials' token-env) is read, when it is needed.</summary>
    public Func<string, string?> GetEnvironment { get; }

    /// <summary>The dev root (CERC_REPO_BASE_DIR).</summary>
    public string RepositoryBase { get; init; } = "";

    /// <summary>The dev root as a full path (null: unknown, the pods' repositories are not read).</summary>
    public string? DevRoot { get; init; }

    /// <summary>laconic-so's data folders (<see cref="PipelineOptions.LaconicDataRoots"/>).</summary>
    public IReadOnlyList<string> LaconicDataRoots { get; init; } = [];

    /// <summary>The commits of D's sources now: the stack's (or --stack-path's), the spec's (or --spec-file's) and the pods' repositories.</summary>
    public Task<List<SourceCommit>> SourceCommitsAsync(CancellationToken cancellationToken) =>
        GitOps.SourceCommits.ReadAsync(Session, Tools.Git, cancellationToken, DevRoot, Run.Parameters.StackSource, Run.Parameters.SpecSource);

    /// <summary>The live line of the stage being run (the latest child output, or a stage's own message).</summary>
    public Action<string> Progress { get; set; } = _ => { };

    /// <summary>Registry servers this process logged in to for the run (see <see cref="Registry.RegistryLogin"/>).</summary>
    public HashSet<string> LoggedIn { get; } = new(StringComparer.Ordinal);

    /// <summary>The containers or pods as the last health poll of this run saw them.</summary>
    public IReadOnlyList<ServiceState>? LastServices { get; set; }

    /// <summary>The run's rollout timeout: <c>--wait-timeout</c> when the command was given one, else the spec's <c>rollout.timeout</c>.</summary>
    public TimeSpan WaitTimeout => TimeSpan.FromSeconds(Run.Parameters.WaitTimeoutSeconds);

    /// <summary>
    /// When the apply of this process and the verify after it must be done: set as an apply starts. A run resumed at
    /// verify has none, and its verify gets the whole timeout again.
    /// </summary>
    public DateTimeOffset? RolloutDeadline { get; private set; }

    /// <summary>Starts the rollout clock of an apply (a rollback's apply starts its own); returns the deadline.</summary>
    public DateTimeOffset StartRolloutClock() => (RolloutDeadline = Clock.GetUtcNow() + WaitTimeout).Value;

    /// <summary>What is left for verify: until the rollout deadline, or the whole timeout when no apply ran in this process.</summary>
    public TimeSpan RolloutBudget() => RolloutDeadline is { } deadline ? deadline - Clock.GetUtcNow() : WaitTimeout;

    /// <summary>D was rewritten (a sync, a restore): open it again, make its backend again, and redact any new secret from here on.</summary>
    public void Reload()
    {
        Session = Session.Reload();
        Backend = _createBackend(Session, Runner);
        Log.Redact(Session.SecretValues);
    }

    public void Save()
    {
        lock (Run.Children) Runs.Save(Run);
    }

    private void Started(int pid, ProcessSpec spec, string? outputFolder)
    {
        var command = string.Join(' ', new[] { Path.GetFileName(spec.FileName) }.Concat(spec.Arguments.Where(a => !a.StartsWith('-')).Take(2)));
        lock (Run.Children)
        {
            Run.Children.Add(new ChildProcess(pid, DeploymentLock.ProcessStartOf(pid) ?? 0, command, outputFolder));
            try
            {
                Runs.Save(Run);
            }
            catch (Exception ex) when (Files.FileSystemFailure.From(ex) is not null)
            {
                // The disk is full: the child runs all the same; the stage's own save (which the run needs) reports it.
                Log.Note($"could not record child {pid} ({command}) in run.json: {ex.Message}");
            }
        }
    }

    // Not saved: the next save (the next stage, the run's end) drops it; a child that ended is never waited for.
    private void Ended(int pid)
    {
        lock (Run.Children) Run.Children.RemoveAll(c => c.Pid == pid);
    }

    /// <summary>Pins keyed as the backend's files name the images (see <see cref="IDeploymentBackend.PinKeys"/>).</summary>
    public Dictionary<string, string> BackendPins(IEnumerable<ImagePin> pins)
    {
        var keyed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pin in pins)
        {
            foreach (var key in Backend.PinKeys(pin.StackImage)) keyed[key] = pin.Reference;
        }

        return keyed;
    }
}
