using Slipway.Cli.Commands;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Composition;
using Slipway.Infrastructure.Processes;

namespace Slipway.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var ui = new ConsoleUi(System.Console.Out, System.Console.Error, ConsoleUi.DetectInteractive())
        {
            HasTerminal = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected,
        };
        return await new SlipwayCli(ui, new SystemProcessRunner(), HostSettings.FromEnvironment()).RunAsync(args);
    }
}
