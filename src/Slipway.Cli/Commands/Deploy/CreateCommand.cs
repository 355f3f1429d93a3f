using System.CommandLine;
using Slipway.Core.Kubernetes;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deploy;

internal static class CreateCommand
{
    public static Command Create(CliContext cli, Option<string> deployTo)
    {
        var spec = new Option<string>("--spec-file") { Description = "The spec to deploy", Required = true };
        var dir = new Option<string>("--deployment-dir") { Description = "The deployment directory to create", DefaultValueFactory = _ => "deployment-001" };
        var update = new Option<bool>("--update") { Description = "Re-render an existing deployment directory from the spec (changed files kept as .bak)" };
        var helm = new Option<bool>("--helm-chart") { Description = "Also write D/chart: a Helm chart of the objects Slipway applies (Kubernetes targets)" };
        var breakLock = new Option<bool>("--break-lock") { Description = "--update: replace a stale lock of D (its process is gone) instead of refusing" };
        var networkDir = new Option<string?>("--network-dir") { Description = "Given to the stack's create hook as SLIPWAY_NETWORK_DIR (absolute)" };
        var peers = new Option<string?>("--initial-peers") { Description = "Given to the stack's create hook as SLIPWAY_INITIAL_PEERS" };
        var extra = new Argument<string[]>("extra") { Arity = ArgumentArity.ZeroOrMore, Description = "Arguments for the stack's create hook" };
        var command = new Command("create", "Create (or --update) a deployment directory from a spec; --update is refused while a run holds D's lock") { spec, dir, update, helm, breakLock, networkDir, peers, extra };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            if (parse.GetResult(deployTo) is { Implicit: false })
            {
                // The spec is the one record of where a deployment runs; an option that silently disagreed with it would be ignored.
                cli.Ui.Fail($"--deploy-to is for deploy init; deploy create takes the target from the spec's 'deploy-to' key (set it in {parse.GetValue(spec)}); see 'slipway deploy create --help'");
                return ExitCodes.UsageError;
            }

            var request = new CreateRequest
            {
                StackArgument = cli.StackValue(parse),
                SpecFile = parse.GetValue(spec)!,
                DeploymentDirectory = parse.GetValue(dir)!,
                Update = parse.GetValue(update),
                HelmChart = parse.GetValue(helm),
                BreakLock = parse.GetValue(breakLock),
                NetworkDirectory = parse.GetValue(networkDir),
                InitialPeers = parse.GetValue(peers),
                HookArguments = parse.GetValue(extra) ?? [],
            };
            if (parse.GetValue(cli.DryRun))
            {
                // Rendered in memory only: no file of D is written and no hook runs.
                var plan = await new DeployCreate(env).RenderAsync(request, ct);
                cli.ShowWarnings(plan.Warnings);
                cli.Ui.Info($"Dry run: would {(plan.Update ? "update" : "create")} {request.DeploymentDirectory} (deployment-id {plan.Deployment.DeploymentId}) with {plan.Rendered.Files.Count} files; nothing was written");
                foreach (var file in plan.Rendered.Files) cli.Ui.Detail(file.RelativePath);
                foreach (var hook in DeployCreate.HooksThatWouldRun(plan, env.Tools.Python)) cli.Ui.Info($"Dry run: would then run {hook}; nothing was run");
                return ExitCodes.Success;
            }

            var result = await new DeployCreate(env).RunAsync(request, ct);
            var ui = cli.Ui;
            cli.ShowWarnings(result.Warnings);
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

            var volumes = result.Rendered.Volumes;
            if (volumes.Count > 0)
            {
                ui.Info("volumes:");
                var lines = volumes[0].Target.IsKubernetes() || volumes[0].Target == Core.Specs.DeployTarget.Swarm
                    ? KubernetesVolumes.Table(volumes)
                    : volumes.Select(v => v.Describe() + (v.Seeded ? ", seeded from the stack's config" : ""));
                foreach (var line in lines) ui.Detail(line);
            }

            if (!string.IsNullOrWhiteSpace(result.HookOutput))
            {
                ui.Info("create hook:");
                foreach (var line in result.HookOutput.TrimEnd().Split('\n')) ui.Detail(line);
            }

            if (result.Rendered.Files.Any(f => f.RelativePath.StartsWith(HelmChart.Folder + "/", StringComparison.Ordinal)))
            {
                ui.Info($"helm chart: {request.DeploymentDirectory}/{HelmChart.Folder} (helm template/install it, or let slipway start apply the same objects)");
            }

            ui.Info($"next: slipway deployment --dir {request.DeploymentDirectory} start");
            return ExitCodes.Success;
        }));
        return command;
    }
}
