using System.Diagnostics;
using Slipway.Cli.Commands;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Composition;
using Slipway.Infrastructure.Processes;

namespace Slipway.IntegrationTests.Infrastructure;

/// <summary>
/// Runs the real CLI in-process (real process runner, real docker) and, when the exit code is not the expected one,
/// fails with the arguments, exit code, stdout and stderr (dotnet/sdk's AppendDiagnosticsTo idea).
/// </summary>
public static class SlipwayCommand
{
    /// <summary>No single command of these tests should take this long; a hang becomes a failure, not a stuck CI job.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(Cli.ExitCodes.Success, args);

    /// <summary>Runs <c>slipway args</c> and asserts its exit code.</summary>
    public static async Task<CliResult> RunAsync(int expectedExitCode, params string[] args)
    {
        var result = await RunUncheckedAsync(args);
        if (result.ExitCode != expectedExitCode)
        {
            Assert.Fail($"Expected exit code {expectedExitCode} but got {result.ExitCode}.\n\n{result}");
        }

        return result;
    }

    /// <summary>Runs <c>slipway args</c> and asserts only that it failed (non-zero exit).</summary>
    public static async Task<CliResult> RunFailingAsync(params string[] args)
    {
        var result = await RunUncheckedAsync(args);
        if (result.ExitCode == 0)
        {
            Assert.Fail($"Expected a non-zero exit code.\n\n{result}");
        }

        return result;
    }

    public static Task<CliResult> RunUncheckedAsync(params string[] args) => RunUncheckedAsync(HostSettings.FromEnvironment(), args);

    /// <summary>Runs <c>slipway args</c> on another host's settings (another docker, e.g. the test swarm's) and asserts nothing.</summary>
    public static async Task<CliResult> RunUncheckedAsync(HostSettings host, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var output = TextWriter.Synchronized(stdout);
        var error = TextWriter.Synchronized(stderr);
        var cli = new SlipwayCli(new ConsoleUi(output, error, interactive: false), new SystemProcessRunner(), host);
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var watch = Stopwatch.StartNew();
        int exit;
        try
        {
            exit = await cli.RunAsync(args, timeout.Token);
        }
        catch (Exception e)
        {
            Assert.Fail($"slipway {string.Join(' ', args)} threw {e}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
            throw;
        }

        await output.FlushAsync();
        await error.FlushAsync();
        if (timeout.IsCancellationRequested)
        {
            error.WriteLine($"[test] cancelled after {CommandTimeout.TotalSeconds:0}s");
        }

        return new CliResult(args, exit, stdout.ToString(), stderr.ToString(), watch.Elapsed);
    }
}
