using System.CommandLine;
using System.Reflection;

namespace Slipway.Cli.Commands;

internal static class VersionCommand
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Text => $"slipway {Version}";

    public static Command Create(CliContext cli)
    {
        var command = new Command("version", "Print Slipway's version");
        command.SetAction(_ =>
        {
            cli.Ui.Result(Text);
            return ExitCodes.Success;
        });
        return command;
    }
}
