using System.CommandLine;
using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway --stack S deploy init | create</c>: from a stack to a spec, from a spec to a deployment directory.</summary>
internal static class DeployCommands
{
    public static Command Create(CliContext context)
    {
        var deployTo = new Option<string>("--deploy-to")
        {
            Description = "Where the stack runs: compose, k8s or k8s-kind",
            DefaultValueFactory = _ => "compose",
            Recursive = true,
        };
        deployTo.AcceptOnlyFromAmong(DeployTargets.Names.ToArray());
        var deploy = new Command("deploy", "Write a spec for a stack, and create deployment directories from specs") { deployTo };
        deploy.Aliases.Add("deploy-system");
        deploy.Subcommands.Add(Init(context, deployTo));
        deploy.Subcommands.Add(CreateCommand(context));
        return deploy;
    }

    private static Command Init(CliContext context, Option<string> deployTo)
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
        command.SetAction((parse, cancellationToken) => context.GuardAsync(parse, async () =>
        {
            var stack = parse.GetValue(context.Stack)
                ?? throw new SlipwayException(FailureReason.InvalidInput, "--stack is required: slipway --stack PATH deploy init --output spec.yml");
            var request = new InitRequest
            {
                StackArgument = stack,
                Output = parse.GetValue(output)!,
                DeployTo = DeployTargets.Parse(parse.GetValue(deployTo))!.Value,
                Config = ParseConfigPairs(parse.GetValue(config) ?? []),
                ConfigFile = parse.GetValue(configFile),
                PortMode = PortMappingModes.Parse(parse.GetValue(ports)!),
                KubeConfig = parse.GetValue(kubeConfig),
                ImageRegistry = parse.GetValue(registry),
            };
            var warnings = await new DeployInit(context.Environment()).RunAsync(request, cancellationToken);
            context.ShowWarnings(warnings);
            context.Ui.Info($"wrote {request.Output}: review it, commit it to git, then run 'slipway deploy create --spec-file {request.Output} --deployment-dir DIR'");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateCommand(CliContext context)
    {
        var spec = new Option<string>("--spec-file") { Description = "The spec to deploy", Required = true };
        var dir = new Option<string>("--deployment-dir") { Description = "The deployment directory to create", DefaultValueFactory = _ => "deployment-001" };
        var update = new Option<bool>("--update") { Description = "Re-render an existing deployment directory from the spec (changed files kept as .bak)" };
        var command = new Command("create", "Create (or --update) a deployment directory from a spec") { spec, dir, update };
        command.SetAction((parse, cancellationToken) => context.GuardAsync(parse, async () =>
        {
            var request = new CreateRequest
            {
                StackArgument = parse.GetValue(context.Stack),
                SpecFile = parse.GetValue(spec)!,
                DeploymentDirectory = parse.GetValue(dir)!,
                Update = parse.GetValue(update),
            };
            var result = await new DeployCreate(context.Environment()).RunAsync(request, cancellationToken);
            context.ShowWarnings(result.Warnings);
            var ui = context.Ui;
            if (result.Update is { } report)
            {
                ui.Info($"updated {request.DeploymentDirectory} ({result.Deployment.DeploymentId}): {report.Changed.Count} changed, {report.Added.Count} added, {report.Unchanged.Count} unchanged");
                foreach (var file in report.Changed) ui.Detail($"changed {file} (previous kept as {file}.bak)");
                foreach (var file in report.Added) ui.Detail($"added   {file}");
            }
            else
            {
                ui.Info($"created {request.DeploymentDirectory} (deployment-id {result.Deployment.DeploymentId})");
            }

            if (result.Rendered.Volumes.Count > 0)
            {
                ui.Info("volumes:");
                if (result.Rendered.Volumes[0].Target.IsKubernetes())
                {
                    foreach (var line in Slipway.Core.Kubernetes.KubernetesVolumes.Table(result.Rendered.Volumes)) ui.Detail(line);
                }
                else
                {
                    foreach (var volume in result.Rendered.Volumes) ui.Detail(volume.Describe() + (volume.Seeded ? ", seeded from the stack's config" : ""));
                }
            }

            if (!string.IsNullOrWhiteSpace(result.HookOutput))
            {
                ui.Info("create hook:");
                foreach (var line in result.HookOutput.TrimEnd().Split('\n')) ui.Detail(line);
            }

            ui.Info($"next: slipway deployment --dir {request.DeploymentDirectory} start");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// <c>--config A=1,B=2</c> (laconic-so) and repeated <c>--config A=1 --config B=2</c>. A value may contain '=',
    /// and a comma piece without '=' continues the previous value, so <c>GREETING=Hello, world</c> works.
    /// </summary>
    internal static List<KeyValuePair<string, string>> ParseConfigPairs(IEnumerable<string> values)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var value in values)
        {
            var first = true;
            foreach (var item in value.Split(','))
            {
                var equals = item.IndexOf('=');
                if (equals > 0 && Slipway.Core.Names.IsValidEnvName(item[..equals].Trim()))
                {
                    pairs.Add(new(item[..equals].Trim(), item[(equals + 1)..]));
                }
                else if (!first && pairs.Count > 0)
                {
                    var last = pairs[^1];
                    pairs[^1] = new(last.Key, last.Value + "," + item);
                }
                else
                {
                    throw new SlipwayException(FailureReason.InvalidInput, $"--config '{item}' is not KEY=VALUE (KEY: letters, digits and '_')");
                }

                first = false;
            }
        }

        return pairs;
    }
}
