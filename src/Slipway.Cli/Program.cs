using Slipway.Cli.Commands;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Processes;

namespace Slipway.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var ui = new ConsoleUi(System.Console.Out, System.Console.Error, ConsoleUi.DetectInteractive());
        var cli = new SlipwayCli(ui, new SystemProcessRunner(), CreateEnvironment);
        return await cli.RunAsync(args);
    }

    internal static SlipwayEnvironment CreateEnvironment(ConsoleUi ui, IProcessRunner runner) => new()
    {
        Runner = runner,
        Reporter = ui,
        ShippedStackRoots = ShippedStackRoots(),
        DockerExecutable = Environment.GetEnvironmentVariable("SLIPWAY_DOCKER") ?? "docker",
    };

    /// <summary>Stacks shipped with Slipway: SLIPWAY_STACKS_PATH, else the repository's stacks/ above the binary.</summary>
    private static IReadOnlyList<string> ShippedStackRoots()
    {
        if (Environment.GetEnvironmentVariable("SLIPWAY_STACKS_PATH") is { Length: > 0 } configured)
        {
            return configured.Split(':', StringSplitOptions.RemoveEmptyEntries);
        }

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
