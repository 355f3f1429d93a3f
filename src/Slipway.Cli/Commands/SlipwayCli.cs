using System.CommandLine;
using System.CommandLine.Invocation;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Processes;

namespace Slipway.Cli.Commands;

/// <summary>The command tree and its invocation: parse errors are exit code 2, everything else maps through <see cref="ExitCodes"/>.</summary>
internal sealed class SlipwayCli
{
    private readonly CliContext _context;

    public SlipwayCli(ConsoleUi ui, IProcessRunner runner, Func<ConsoleUi, IProcessRunner, SlipwayEnvironment> environment)
    {
        _context = new CliContext(ui, environment, runner);
        Root = new RootCommand("Slipway: deploy container stacks from a git-tracked spec, to Docker Compose or Kubernetes.\n\n" + ExitCodeHelp())
        {
            _context.Stack,
            _context.Debug,
            _context.Quiet,
            _context.Verbose,
        };
        Root.Subcommands.Add(DeployCommands.Create(_context));
        Root.Subcommands.Add(DeploymentCommands.Create(_context));
        Root.Subcommands.Add(BuildContainersCommand.Create(_context));
        Root.Subcommands.Add(VersionCommand.Create(_context));
    }

    public RootCommand Root { get; }

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var parse = Root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = _context.Ui.Out,
            Error = _context.Ui.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        if (parse.Errors.Count > 0)
        {
            if (parse.Action is ParseErrorAction errorAction) errorAction.ShowHelp = false;

            // A usage error is human text, typo suggestions included: all of it goes to stderr so stdout stays machine-readable.
            await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = _context.Ui.Error,
                Error = _context.Ui.Error,
                EnableDefaultExceptionHandler = false,
            }, cancellationToken);
            _context.Ui.Error.WriteLine("see 'slipway --help'");
            return ExitCodes.UsageError;
        }

        // Global flags come from the parse, never from scanning args: "exec web grep --quiet x" is not Slipway's --quiet.
        _context.Ui.Quiet = parse.GetValue(_context.Quiet);
        var debug = parse.GetValue(_context.Debug);
        if (debug || parse.GetValue(_context.Verbose))
        {
            _context.Runner = new LoggingProcessRunner(_context.Runner, new ConsoleCommandLog(_context.Ui.Error, withOutput: debug));
        }

        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static string ExitCodeHelp() =>
        "Exit codes:\n" + string.Join("\n", ExitCodes.All.Select(e => $"  {e.Code,3}  {e.Name}: {e.Meaning}"));
}
