using System.CommandLine;
using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deploy;

internal static class InitCommand
{
    public static Command Create(CliContext cli, Option<string> deployTo)
    {
        var output = new Option<string>("--output", "-o") { Description = "The spec file to write (never overwritten)", Required = true };
        var config = new Option<string[]>("--config") { Description = "Config values KEY=VALUE[,KEY=VALUE...]", AllowMultipleArgumentsPerToken = false };
        var configFile = new Option<string?>("--config-file") { Description = "A dotenv file of config values" };
        var ports = new Option<string>("--map-ports-to-host")
        {
            Description = "How compose ports map to the host: " + string.Join(", ", PortMappingModes.Names),
            DefaultValueFactory = _ => "any-variable-random",
        };
        ports.AcceptOnlyFromAmong(PortMappingModes.Names.ToArray());
        var kubeConfig = new Option<string?>("--kube-config") { Description = "kubeconfig file (required with --deploy-to k8s)" };
        var registry = new Option<string?>("--image-registry") { Description = "Registry built images are pushed to (k8s)" };
        var command = new Command("init", "Write a new spec.yml for the stack") { output, config, configFile, ports, kubeConfig, registry };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            var request = new InitRequest
            {
                StackArgument = cli.StackValue(parse)
                    ?? throw new SlipwayException(FailureReason.InvalidInput, "--stack is required: slipway --stack PATH deploy init --output spec.yml"),
                Output = parse.GetValue(output)!,
                DeployTo = DeployTargets.Parse(parse.GetValue(deployTo))!.Value,
                Config = ConfigPairs.Parse(parse.GetValue(config) ?? []),
                ConfigFile = parse.GetValue(configFile),
                PortMode = PortMappingModes.Parse(parse.GetValue(ports)!),
                KubeConfig = parse.GetValue(kubeConfig),
                ImageRegistry = parse.GetValue(registry),
            };
            cli.ShowWarnings(await new DeployInit(env).RunAsync(request, ct));
            cli.Ui.Info($"wrote {request.Output}: review it, commit it to git, then run 'slipway deploy create --spec-file {request.Output} --deployment-dir DIR'");
            return ExitCodes.Success;
        }));
        return command;
    }
}
