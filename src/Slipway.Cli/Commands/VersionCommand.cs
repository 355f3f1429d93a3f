using System.CommandLine;
using System.Reflection;

namespace Slipway.Cli.Commands;

internal static class VersionCommand
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static Command Create(CliContext context)
    {
        var command = new Command("version", "Print Slipway's version");
        command.SetAction(_ =>
        {
            context.Ui.Result($"slipway {Version}");
            return ExitCodes.Success;
        });
        return command;
    }
}
