using Slipway.Cli.Commands;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Composition;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tracing;

namespace Slipway.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The one command that needs nothing: answered before the console, the command tree and the host are built.
        if (args is ["version"])
        {
            System.Console.Out.WriteLine(VersionCommand.Text);
            return ExitCodes.Success;
        }

        var host = HostSettings.FromEnvironment();
        var trace = host.TracePath is null ? null : new RunTrace();
        trace?.Mark("main");
        var ui = new ConsoleUi(System.Console.Out, System.Console.Error, ConsoleUi.DetectInteractive())
        {
            HasTerminal = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected,
            OutputIsTerminal = !System.Console.IsOutputRedirected,
        };
        var exit = await new SlipwayCli(ui, new SystemProcessRunner(), host, trace: trace).RunAsync(args);
        if (trace is not null)
        {
            trace.Mark("done");
            trace.WriteTo(host.TracePath!);
        }

        return exit;
    }
}
