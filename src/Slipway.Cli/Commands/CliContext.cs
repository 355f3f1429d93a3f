using System.CommandLine;
using Slipway.Cli.Console;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Processes;

namespace Slipway.Cli.Commands;

/// <summary>What every command action gets: the console, global options and a way to build the operations' environment.</summary>
internal sealed class CliContext(ConsoleUi ui, Func<ConsoleUi, IProcessRunner, SlipwayEnvironment> environment, IProcessRunner runner)
{
    // Options are per CLI instance, never static: System.CommandLine links an option to its parent commands, and
    // shared instances raced when several command trees were built at once (parallel tests).
    public Option<string?> Stack { get; } = new("--stack")
    {
        Description = "The stack: a path to a folder holding stack.yml, or the name of a stack shipped with Slipway",
        Recursive = true,
    };

    public Option<bool> Debug { get; } = new("--debug") { Description = "Show stack traces, every child command and its output", Recursive = true };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print only results and errors", Recursive = true };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Show every child command Slipway runs", Recursive = true };

    /// <summary>deployment --dir D.</summary>
    public Option<string> Dir { get; } = new("--dir") { Description = "The deployment directory", Required = true, Recursive = true };

    public ConsoleUi Ui { get; } = ui;

    /// <summary>Wrapped once the command line is parsed when --verbose or --debug asks to see child commands.</summary>
    public IProcessRunner Runner { get; set; } = runner;

    public SlipwayEnvironment Environment(IProcessRunner? runnerOverride = null) => environment(Ui, runnerOverride ?? Runner);

    /// <summary>Runs an action, turning expected failures into their named exit codes and messages.</summary>
    public async Task<int> GuardAsync(ParseResult parse, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (InvalidInputException ex)
        {
            foreach (var diagnostic in ex.Diagnostics)
            {
                Ui.Error.WriteLine(diagnostic.ToString());
            }

            var errors = ex.Diagnostics.Count(d => d.IsError);
            Ui.Error.WriteLine($"{errors} error{(errors == 1 ? "" : "s")}; nothing was changed");
            return ExitCodes.InvalidInput;
        }
        catch (SlipwayException ex)
        {
            Ui.Fail(ex.Message);
            if (ex.Hint is not null) Ui.Error.WriteLine($"hint: {ex.Hint}");
            if (parse.GetValue(Debug)) Ui.Error.WriteLine(ex.ToString());
            return ExitCodes.For(ex.Reason);
        }
        catch (OperationCanceledException)
        {
            Ui.Fail("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Ui.Fail(ex.Message);
            if (parse.GetValue(Debug)) Ui.Error.WriteLine(ex.ToString());
            return ExitCodes.InternalError;
        }
        catch (Exception ex)
        {
            Ui.Fail($"internal error: {ex.Message}");
            Ui.Error.WriteLine(parse.GetValue(Debug) ? ex.ToString() : "rerun with --debug for details, and please report it");
            return ExitCodes.InternalError;
        }
    }

    public void ShowWarnings(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics.Where(d => !d.IsError))
        {
            Ui.Error.WriteLine(d.ToString());
        }
    }
}
