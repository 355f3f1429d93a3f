using System.CommandLine;
using Slipway.Cli.Commands.Deploy;
using Slipway.Cli.Commands.Deployment;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Composition;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;
using Slipway.Infrastructure.Tracing;
using Slipway.Infrastructure.Verification;

namespace Slipway.Cli.Commands;

/// <summary>The command tree and its invocation: parse errors are exit code 2, everything else maps through <see cref="ExitCodes"/>.</summary>
internal sealed class SlipwayCli
{
    private readonly CliContext _context;
    private readonly IProcessRunner _runner;
    private readonly HostSettings _host;
    private readonly IProbe? _probe;
    private readonly RunTrace? _trace;

    public SlipwayCli(ConsoleUi ui, IProcessRunner runner, HostSettings host, IProbe? probe = null, RunTrace? trace = null)
    {
        _trace = trace;
        _context = new CliContext(ui);
        _runner = runner;
        _host = host;
        _probe = probe;
        Root = new RootCommand("Slipway: deploy container stacks from a git-tracked spec, to Docker Compose or Kubernetes.\n\n" + ExitCodeHelp())
        {
            _context.Stack,
            _context.Debug,
            _context.Quiet,
            _context.Verbose,
            _context.DryRun,
            _context.LocalStack,
            _context.ContinueOnError,
        };
        // --stack belongs to the commands that read a stack (deploy, build-containers), not to `deployment`, whose D names its stack.
        var deploy = DeployCommand.Create(_context);
        deploy.Options.Add(_context.StackBelow);
        Root.Subcommands.Add(deploy);
        Root.Subcommands.Add(DeploymentCommand.Create(_context));
        Root.Subcommands.Add(Fleet.FleetCommand.Create(_context));
        var build = BuildContainersCommand.Create(_context);
        build.Options.Add(_context.StackBelow);
        Root.Subcommands.Add(build);
        var setupRepositories = RepositoryCommands.SetupRepositories(_context);
        setupRepositories.Options.Add(_context.StackBelow);
        Root.Subcommands.Add(setupRepositories);
        Root.Subcommands.Add(RepositoryCommands.FetchStack(_context));
        var fetchContainers = LaconicContainerCommands.FetchContainers(_context);
        fetchContainers.Options.Add(_context.StackBelow);
        Root.Subcommands.Add(fetchContainers);
        var buildNpms = LaconicContainerCommands.BuildNpms(_context);
        buildNpms.Options.Add(_context.StackBelow);
        Root.Subcommands.Add(buildNpms);
        var buildWebapp = WebappCommands.Build(_context);
        buildWebapp.Options.Add(_context.StackBelow);
        Root.Subcommands.Add(buildWebapp);
        Root.Subcommands.Add(WebappCommands.Run(_context));
        Root.Subcommands.Add(WebappCommands.Deploy(_context));
        Root.Subcommands.Add(VersionCommand.Create(_context));
        Root.Subcommands.Add(UpdateCommand.Create(_context));
    }

    public RootCommand Root { get; }

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var parse = Root.Parse(args);
        _trace?.Mark("parsed");
        var ui = _context.Ui;
        if (parse.Errors.Count > 0)
        {
            // A usage error is human text, typo suggestions included: it goes to stderr so stdout stays machine-readable.
            ui.Error.WriteLine(UsageErrors.Describe(parse));
            return ExitCodes.UsageError;
        }

        if (UsageErrors.OptionGivenAsServiceName(parse) is { } optionAsName)
        {
            ui.Error.WriteLine(optionAsName);
            return ExitCodes.UsageError;
        }

        // Global flags come from the parse, never from scanning args: "exec web grep --quiet x" is not Slipway's --quiet.
        ui.Quiet = parse.GetValue(_context.Quiet);
        var debug = parse.GetValue(_context.Debug);
        var runner = debug || parse.GetValue(_context.Verbose) ? new LoggingProcessRunner(_runner, new ConsoleCommandLog(ui.Error, withOutput: debug)) : _runner;
        IReporter reporter = ui;
        if (_trace is not null)
        {
            runner = new TracingProcessRunner(runner, _trace);
            reporter = new TracingReporter(ui, _trace);
        }

        var host = _host with { ScriptDebug = debug };
        if (parse.GetValue(_context.DryRun))
        {
            if (DryRunRefusal(parse) is { } refusal)
            {
                ui.Fail(refusal);
                return ExitCodes.UsageError;
            }

            // These decide what would happen from reads (git, docker image inspect) and skip every change themselves.
            if (!ReadingDryRunVerbs.Contains(parse.CommandResult.Command.Name)) runner = new DryRunProcessRunner(ui.Info);
        }

        if (parse.GetValue(_context.ContinueOnError) && !ContinueOnErrorVerbs.Contains(parse.CommandResult.Command.Name))
        {
            ui.Warn($"--continue-on-error is honoured by {string.Join(", ", ContinueOnErrorVerbs[..^1])} and {ContinueOnErrorVerbs[^1]}; '{parse.CommandResult.Command.Name}' stops at its first failure, as it always does");
        }

        if (parse.GetValue(_context.LocalStack))
        {
            if (LocalStackRoot(host.CurrentDirectory) is not { } root)
            {
                ui.Fail($"--local-stack: the current directory {host.CurrentDirectory} is not inside a stack-orchestrator checkout");
                return ExitCodes.UsageError;
            }

            host = host with { RepositoryBase = root };
        }

        _context.Environment = CompositionRoot.Build(host, reporter, runner, _probe, _trace) with
        {
            Flags = new Core.Stacks.LaconicOptions(debug, parse.GetValue(_context.Verbose), ui.Quiet, parse.GetValue(_context.DryRun),
                parse.GetValue(_context.LocalStack), parse.GetValue(_context.ContinueOnError), _context.StackValue(parse)),
        };
        _trace?.Mark("composed");
        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = ui.Out,
            Error = ui.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        }, cancellationToken);
    }

    /// <summary>The commands whose every effect is a child command (or that render without writing): the others would record a deployment that never ran.</summary>
    private static readonly string[] DryRunVerbs = ["up", "down", "exec", "logs", "create", "setup"];

    /// <summary>Top-level verbs that honour --dry-run by reading only (git, docker image inspect) and skipping every change themselves.</summary>
    private static readonly string[] ReadingDryRunVerbs = ["build-containers", "setup-repositories", "fetch-stack", "build-npms"];

    /// <summary>The verbs that go on after one failed item with --continue-on-error.</summary>
    private static readonly string[] ContinueOnErrorVerbs = ["build-containers", "setup-repositories", "build-npms"];

    private static string? DryRunRefusal(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var parent = (parse.CommandResult.Parent as System.CommandLine.Parsing.CommandResult)?.Command;
        if (parent?.Name == "deploy" && DryRunVerbs.Contains(command.Name)) return null;
        if (parent is RootCommand && ReadingDryRunVerbs.Contains(command.Name)) return null;
        return $"--dry-run is supported by deploy {string.Join(", ", DryRunVerbs)}, {string.Join(", ", ReadingDryRunVerbs)}; not by '{command.Name}'"
            + (parent?.Name == "deployment" ? " (see what a start would change with 'slipway deployment --dir D plan')" : "");
    }

    /// <summary>laconic-so's --local-stack dev root: the folder holding the stack-orchestrator checkout the current directory is in.</summary>
    internal static string? LocalStackRoot(string currentDirectory)
    {
        for (var dir = new DirectoryInfo(currentDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.Name == "stack-orchestrator") return dir.Parent?.FullName;
        }

        return null;
    }

    private static string ExitCodeHelp() =>
        "Exit codes:\n" + string.Join("\n", ExitCodes.All.Select(e => $"  {e.Code,3}  {e.Name}: {e.Meaning}"));
}
