using System.CommandLine;
using Slipway.Cli.Console;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands;

/// <summary>What every command action gets: the console, the global options, and the environment built for this invocation.</summary>
internal sealed class CliContext(ConsoleUi ui)
{
    // Options are per CLI instance, never static: System.CommandLine links an option to its parent commands, and
    // shared instances raced when several command trees were built at once (parallel tests).
    /// <summary>--stack before the command (laconic-so's place): <c>slipway --stack S deploy init</c>.</summary>
    public Option<string?> Stack { get; } = new("--stack") { Description = StackDescription };

    /// <summary>--stack after <c>deploy</c> or <c>build-containers</c>; not offered by <c>deployment</c>, whose D names its stack.</summary>
    public Option<string?> StackBelow { get; } = new("--stack") { Description = StackDescription, Recursive = true };

    private const string StackDescription = "The stack: a path to a folder holding stack.yml, or the name of a stack shipped with Slipway";

    public Option<bool> Debug { get; } = new("--debug") { Description = "Show stack traces, every child command and its output", Recursive = true };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print only results and errors", Recursive = true };

    public Option<bool> DryRun { get; } = new("--dry-run")
    {
        Description = "Say what would run and change nothing: deploy up/down/exec/logs/create/setup run no child command; build-containers, setup-repositories and fetch-stack only read (git, docker image inspect)",
        Recursive = true,
    };

    public Option<bool> ContinueOnError { get; } = new("--continue-on-error")
    {
        Description = "build-containers, setup-repositories: after one image or repository fails, go on with the others (the command still fails)",
        Recursive = true,
    };

    public Option<bool> LocalStack { get; } = new("--local-stack") { Description = "Repositories live beside the stack-orchestrator checkout the current directory is in (instead of CERC_REPO_BASE_DIR)", Recursive = true };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Show every child command Slipway runs", Recursive = true };

    /// <summary>deployment --dir D.</summary>
    public Option<string> Dir { get; } = new("--dir") { Description = "The deployment directory", Required = true, Recursive = true };

    public ConsoleUi Ui { get; } = ui;

    /// <summary>The --stack given before or after the command.</summary>
    public string? StackValue(ParseResult parse) => parse.GetValue(StackBelow) ?? parse.GetValue(Stack);

    /// <summary>Built by <see cref="SlipwayCli"/> once the command line is parsed (the runner may log to the console then).</summary>
    public SlipwayEnvironment Environment { get; set; } = null!;

    /// <summary>Runs an action, turning expected failures into their named exit codes and messages.</summary>
    public async Task<int> GuardAsync(ParseResult parse, Func<SlipwayEnvironment, Task<int>> action)
    {
        try
        {
            return await action(Environment);
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
            if (FileCommandLog.Of(ex) is { } log) Ui.Error.WriteLine($"log: {log}");
            if (parse.GetValue(Debug)) Ui.Error.WriteLine(ex.ToString());
            return ExitCodes.For(ex.Reason);
        }
        catch (OperationCanceledException)
        {
            Ui.Fail("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (FileSystemFailure.From(ex) is { } failure)
        {
            Ui.Fail(failure.Message);
            if (failure.Hint is not null) Ui.Error.WriteLine($"hint: {failure.Hint}");
            if (parse.GetValue(Debug)) Ui.Error.WriteLine(ex.ToString());
            return ExitCodes.For(failure.Reason);
        }
        catch (IOException ex)
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

    /// <summary>A <c>deployment --dir D</c> action: the deployment directory names its stack, so --stack is refused.</summary>
    public Task<int> DeploymentAsync(ParseResult parse, Func<SlipwayEnvironment, string, Task<int>> action) =>
        GuardAsync(parse, env => StackValue(parse) is not null
            ? throw new SlipwayException(FailureReason.InvalidInput, "--stack can't be given with the deployment command: the deployment directory names its stack")
            : action(env, parse.GetValue(Dir)!));

    public void ShowWarnings(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics.Where(d => !d.IsError))
        {
            Ui.Error.WriteLine(d.ToString());
        }
    }
}
