using System.CommandLine;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deploy;

/// <summary><c>slipway --stack S deploy setup</c>: laconic-so's network-setup flags, handed to the stack's setup hook.</summary>
internal static class SetupCommand
{
    private static readonly string[] Values = ["node-moniker", "chain-id", "key-name", "gentx-files", "gentx-addresses", "genesis-file", "network-dir"];

    private static readonly string[] Switches = ["initialize-network", "join-network", "connect-network", "create-network"];

    public static Command Create(CliContext cli, StackGroupOptions group)
    {
        var values = Values.Select(name => new Option<string?>("--" + name) { Description = $"Passed to the setup hook as {DeploySetup.Variable(name)}" }).ToList();
        var switches = Switches.Select(name => new Option<bool>("--" + name) { Description = $"Passed to the setup hook as {DeploySetup.Variable(name)}=true" }).ToList();
        var extra = new Argument<string[]>("extra") { Arity = ArgumentArity.ZeroOrMore, Description = "Passed to the setup hook as its arguments" };
        var command = new Command("setup", "Run the stack's setup hook (hooks/setup) with laconic-so's network-setup flags") { extra };
        foreach (var option in values) command.Options.Add(option);
        foreach (var option in switches) command.Options.Add(option);
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            var flags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var option in values.Where(o => parse.GetValue(o) is not null)) flags[option.Name.TrimStart('-')] = parse.GetValue(option)!;
            foreach (var option in switches.Where(parse.GetValue)) flags[option.Name.TrimStart('-')] = "true";
            if (flags.TryGetValue("network-dir", out var dir)) flags["network-dir"] = env.Resolve(dir);
            var output = await new DeploySetup(env).RunAsync(new SetupRequest
            {
                StackArgument = cli.StackValue(parse) ?? throw new SlipwayException(FailureReason.Usage, "--stack is required for deploy setup"),
                Flags = flags,
                ExtraArguments = parse.GetValue(extra) ?? [],
                Include = parse.GetValue(group.Include),
                Exclude = parse.GetValue(group.Exclude),
                EnvFile = parse.GetValue(group.EnvFile),
                Cluster = parse.GetValue(group.Cluster),
            }, ct);
            if (!string.IsNullOrWhiteSpace(output)) cli.Ui.Result(output.TrimEnd());
            return ExitCodes.Success;
        }));
        return command;
    }
}
