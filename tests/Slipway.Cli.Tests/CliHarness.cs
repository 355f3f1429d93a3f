using Slipway.Cli.Commands;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Composition;

namespace Slipway.Cli.Tests;

/// <summary>What one <c>slipway</c> invocation did.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Err}";
}

/// <summary>
/// Runs the real command tree in-process with a non-interactive console on string writers, a
/// <see cref="FakeProcessRunner"/> and a <see cref="TempWorkspace"/> as the current directory.
/// </summary>
internal sealed class CliHarness : IDisposable
{
    public TempWorkspace Workspace { get; } = new();

    public FakeProcessRunner Runner { get; } = new();

    /// <summary>The network probe verify checks use (null: real connections).</summary>
    public Slipway.Infrastructure.Verification.IProbe? Probe { get; set; }

    /// <summary>Changes the host each run gets (its home, the install folder update replaces).</summary>
    public Func<HostSettings, HostSettings> Host { get; set; } = host => host;

    /// <summary>When set, runs are traced into it as SLIPWAY_TRACE would.</summary>
    public Slipway.Infrastructure.Tracing.RunTrace? Trace { get; set; }

    /// <summary>The subcommands of <c>deployment</c>, in the order help lists them.</summary>
    public IReadOnlyList<string> DeploymentCommandNames()
    {
        var cli = new SlipwayCli(new ConsoleUi(TextWriter.Null, TextWriter.Null, interactive: false), Runner, new HostSettings { CurrentDirectory = Workspace.Path, RepositoryBase = Workspace.Combine("repos") });
        return [.. cli.Root.Subcommands.Single(c => c.Name == "deployment").Subcommands.Select(c => c.Name)];
    }

    public string Path(params string[] parts) => Workspace.Combine(parts);

    public Task<CliRun> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>A run whose cancellation token stands for Ctrl+C / SIGTERM.</summary>
    public async Task<CliRun> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var cli = new SlipwayCli(new ConsoleUi(output, error, interactive: false), Runner, Host(new HostSettings
        {
            CurrentDirectory = Workspace.Path,
            RepositoryBase = Workspace.Combine("repos"),
            GetEnvironment = Environment.GetEnvironmentVariable,
        }), probe: Probe, trace: Trace);
        var exit = await cli.RunAsync(args, cancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>A one-pod stack in <c>stack/</c> and a spec for it in <c>spec.yml</c>.</summary>
    public void WriteStackAndSpec(string spec = "stack: ./stack\nconfig:\n  GREETING: hi\n")
    {
        Workspace.WriteFile("stack/stack.yml", "name: tiny\npods:\n  - web\n");
        Workspace.WriteFile("stack/compose/docker-compose-web.yml", "services:\n  web:\n    image: busybox\n    ports:\n      - \"80\"\n");
        Workspace.WriteFile("spec.yml", spec);
    }

    /// <summary>Creates deployment directory <c>D</c> through the CLI; returns its absolute path.</summary>
    public async Task<string> CreateDeploymentAsync()
    {
        WriteStackAndSpec();
        var run = await RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");
        Assert.True(run.ExitCode == 0, run.ToString());
        return Path("D");
    }

    public void Dispose() => Workspace.Dispose();
}
