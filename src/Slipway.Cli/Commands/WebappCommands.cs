using System.CommandLine;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands;

/// <summary>laconic-so's webapp verbs: <c>build-webapp</c>, <c>run-webapp</c>, <c>deploy-webapp create</c>.</summary>
internal static class WebappCommands
{
    public static Command Build(CliContext cli)
    {
        var source = new Option<string>("--source-repo") { Description = "The folder holding the webapp to build", Required = true };
        var baseContainer = new Option<string?>("--base-container") { Description = "The base image (default: cerc/nextjs-base when package.json depends on next, else cerc/webapp-base)" };
        var force = new Option<bool>("--force-rebuild") { Description = "Build both phases without the cache" };
        var extra = new Option<string?>("--extra-build-args") { Description = "Extra arguments for docker build (word-split)" };
        var tag = new Option<string?>("--tag") { Description = "The image to build (default: cerc/<source folder name>:local)" };
        var command = new Command("build-webapp", "Build a webapp image: its base image first, then the app with the base's Dockerfile.webapp") { source, baseContainer, force, extra, tag };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            var built = await new Webapps(env).BuildAsync(new BuildWebappRequest
            {
                Source = parse.GetValue(source)!,
                BaseContainer = parse.GetValue(baseContainer),
                Tag = parse.GetValue(tag),
                StackArgument = cli.StackValue(parse),
                ForceRebuild = parse.GetValue(force),
                ExtraBuildArgs = parse.GetValue(extra),
                Debug = parse.GetValue(cli.Debug),
            }, ct);
            cli.Ui.Info($"built {built.Tag} on {built.BaseContainer}:local ({built.BaseDirectory}) in {built.Duration.TotalSeconds:0.0}s");
            cli.Ui.Result(built.Tag);
            cli.Ui.Info($"next: slipway run-webapp --image {built.Tag} [--env-file F]");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Run(CliContext cli)
    {
        var image = new Option<string>("--image") { Description = "The webapp image to run", Required = true };
        var envFile = new Option<string?>("--env-file") { Description = "A dotenv file of variables for the container" };
        var port = new Option<int?>("--port") { Description = "The host port for the container's port 80 (default: a free one)" };
        var address = new Option<string?>("--host-address") { Description = "Publish on this host address only, e.g. 127.0.0.1 (default: all addresses)" };
        var command = new Command("run-webapp", "Run a webapp image detached, its port 80 published; prints Image, ID and URL") { image, envFile, port, address };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            var running = await new Webapps(env).RunAsync(new RunWebappRequest
            {
                Image = parse.GetValue(image)!,
                EnvFile = parse.GetValue(envFile),
                Port = parse.GetValue(port),
                HostAddress = parse.GetValue(address),
            }, ct);
            cli.Ui.Result($"Image: {running.Image}");
            cli.Ui.Result($"ID: {running.Id}");
            cli.Ui.Result($"URL: http://localhost:{running.HostPort}");
            cli.Ui.Info($"stop it with: docker rm -f {running.Id[..Math.Min(12, running.Id.Length)]}");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Deploy(CliContext cli)
    {
        var dir = new Option<string>("--deployment-dir") { Description = "The deployment directory to create", Required = true };
        var image = new Option<string>("--image") { Description = "The webapp image to deploy", Required = true };
        var url = new Option<string>("--url") { Description = "The URL to serve it at: its host and path become the Ingress (network.http-proxy)", Required = true };
        var kubeConfig = new Option<string?>("--kube-config") { Description = "kubeconfig file (required with --deploy-to k8s)" };
        var registry = new Option<string?>("--image-registry") { Description = "Registry the cluster pulls from" };
        var envFile = new Option<string?>("--env-file") { Description = "A dotenv file of config for the webapp (named in the spec's env-files)" };
        var deployTo = new Option<string>("--deploy-to") { Description = "k8s (default) or k8s-kind", DefaultValueFactory = _ => "k8s" };
        deployTo.AcceptOnlyFromAmong("k8s", "k8s-kind");
        var specOutput = new Option<string?>("--spec-output") { Description = "Where to write the spec (commit it; restart syncs from it). Default: <deployment-dir>.spec.yml" };
        var create = new Command("create", "Create a Kubernetes deployment directory serving one webapp image at a URL (the webapp-template stack)")
        {
            dir, image, url, kubeConfig, registry, envFile, deployTo, specOutput,
        };
        create.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            if (cli.StackValue(parse) is not null)
            {
                throw new SlipwayException(FailureReason.InvalidInput, "--stack can't be given with deploy-webapp: it always deploys the webapp-template stack");
            }

            var deployed = await new Webapps(env).DeployAsync(new DeployWebappRequest
            {
                DeploymentDirectory = parse.GetValue(dir)!,
                Image = parse.GetValue(image)!,
                Url = parse.GetValue(url)!,
                DeployTo = DeployTargets.Parse(parse.GetValue(deployTo))!.Value,
                KubeConfig = parse.GetValue(kubeConfig),
                ImageRegistry = parse.GetValue(registry),
                EnvFile = parse.GetValue(envFile),
                SpecOutput = parse.GetValue(specOutput),
            }, ct);
            cli.ShowWarnings(deployed.InitWarnings);
            cli.ShowWarnings(deployed.Created.Warnings);
            cli.Ui.Info($"wrote {deployed.SpecFile}: webapp-template serving {parse.GetValue(image)} at {deployed.Host}{deployed.Path} (commit it; restart syncs D from it)");
            cli.Ui.Info($"created {parse.GetValue(dir)} (deployment-id {deployed.Created.Deployment.DeploymentId})");
            cli.Ui.Info($"next: slipway deployment --dir {parse.GetValue(dir)} start");
            return ExitCodes.Success;
        }));
        return new Command("deploy-webapp", "Deploy a webapp image to Kubernetes") { create };
    }
}
