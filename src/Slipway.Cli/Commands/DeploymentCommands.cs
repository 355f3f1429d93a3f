using System.CommandLine;
using System.Text.Json;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway deployment --dir D ...</c>: operations on a created deployment directory.</summary>
internal static class DeploymentCommands
{
    public static Command Create(CliContext context)
    {
        var deployment = new Command("deployment", "Start, stop and inspect a deployment directory") { context.Dir };
        deployment.Subcommands.Add(PipelineCommands.Start(context));
        deployment.Subcommands.Add(Stop(context));
        deployment.Subcommands.Add(PipelineCommands.Restart(context));
        deployment.Subcommands.Add(Ps(context, "ps", "List the deployment's containers"));
        deployment.Subcommands.Add(Ps(context, "status", "Show each service's state and health"));
        deployment.Subcommands.Add(Logs(context));
        deployment.Subcommands.Add(Port(context));
        deployment.Subcommands.Add(Exec(context));
        deployment.Subcommands.Add(RunJob(context));
        PipelineCommands.AddTo(deployment, context);
        return deployment;
    }

    private static Option<string> CreateOutputOption()
    {
        var option = new Option<string>("--output") { Description = "text or json (json goes to stdout; messages to stderr)", DefaultValueFactory = _ => "text" };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    private static Option<bool> ClusterManagement(string name, string description) => new(name) { Description = description };

    private static Command Stop(CliContext context)
    {
        var deleteVolumes = new Option<bool>("--delete-volumes") { Description = "Also remove the deployment's Docker volumes (host-path data is kept and listed)" };
        var preserve = new Option<bool>("--preserve-volumes") { Description = "Keep volumes (the default)" };
        var perform = ClusterManagement("--perform-cluster-management", "Also delete the kind cluster (k8s-kind)");
        var skip = ClusterManagement("--skip-cluster-management", "Never delete a cluster (the default)");
        var deleteNamespace = new Option<bool>("--delete-namespace") { Description = "Also delete the namespace (k8s)" };
        var command = new Command("stop", "Stop the deployment; volumes are kept unless --delete-volumes") { deleteVolumes, preserve, perform, skip, deleteNamespace };
        command.Aliases.Add("down");
        command.SetAction((parse, ct) => WithBackendAsync(context, parse, "stop", async (deployment, backend) =>
        {
            if (parse.GetValue(deleteVolumes) && parse.GetValue(preserve))
            {
                throw new SlipwayException(FailureReason.InvalidInput, "--delete-volumes and --preserve-volumes contradict each other");
            }

            var outcome = await context.Ui.StepAsync($"stop {deployment.Identity.DeploymentId}", progress => backend.StopAsync(new StopOptions
            {
                DeleteVolumes = parse.GetValue(deleteVolumes),
                DeleteNamespace = parse.GetValue(deleteNamespace),
                PerformClusterManagement = parse.GetValue(perform) && !parse.GetValue(skip),
                Progress = progress,
            }, ct));
            if (parse.GetValue(deleteVolumes))
            {
                var what = deployment.Target.IsKubernetes() ? "PersistentVolumeClaims/PersistentVolumes" : "Docker volumes";
                context.Ui.Info(outcome.RemovedVolumes.Count == 0 ? $"no {what} to remove" : $"removed {what}: " + string.Join(", ", outcome.RemovedVolumes));
                foreach (var path in outcome.KeptHostPaths) context.Ui.Info($"kept host-path data: {path} (delete it yourself if you mean to)");
            }
            else
            {
                context.Ui.Info(deployment.Target.IsKubernetes()
                    ? "namespace and volumes kept; 'stop --delete-volumes' removes this deployment's PersistentVolumeClaims and PersistentVolumes"
                    : "volumes kept; 'stop --delete-volumes' removes the Docker volumes");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Ps(CliContext context, string name, string description)
    {
        var outputFormat = CreateOutputOption();
        var command = new Command(name, description) { outputFormat };
        command.SetAction((parse, ct) => WithBackendAsync(context, parse, null, async (_, backend) =>
        {
            await PrintStatusAsync(context, backend, parse.GetValue(outputFormat) == "json", ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Logs(CliContext context)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming new lines" };
        var tail = new Option<int?>("--tail", "-n") { Description = "Only the last N lines of each service" };
        var services = new Argument<string[]>("services") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("logs", "Show the services' logs") { follow, tail, services };
        command.SetAction((parse, ct) => WithBackendAsync(context, parse, null, (_, backend) =>
            backend.LogsAsync(new LogsOptions(parse.GetValue(follow), parse.GetValue(tail), parse.GetValue(services) ?? []), ct)));
        return command;
    }

    private static Command Port(CliContext context)
    {
        var service = new Argument<string>("service");
        var port = new Argument<string>("port") { Description = "The container port, e.g. 80 or 53/udp" };
        var command = new Command("port", "Print the host address (HOST:PORT) a service's port is published on") { service, port };
        command.SetAction((parse, ct) => WithBackendAsync(context, parse, null, async (_, backend) =>
        {
            context.Ui.Result(await backend.PortAsync(parse.GetValue(service)!, parse.GetValue(port)!, ct));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Exec(CliContext context)
    {
        var service = new Argument<string>("service");
        var commandLine = new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore, CaptureRemainingTokens = true, Description = "The command and its arguments" };
        var command = new Command("exec", "Run a command in a running service; exits with the command's exit code") { service, commandLine };
        command.SetAction((parse, ct) => WithBackendAsync(context, parse, "exec", (_, backend) =>
            backend.ExecAsync(parse.GetValue(service)!, parse.GetValue(commandLine)!, interactive: !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected, ct)));
        return command;
    }

    private static Command RunJob(CliContext context)
    {
        var job = new Argument<string>("job");
        var command = new Command("run-job", "Run one of the stack's jobs to completion") { job };
        command.SetAction((parse, ct) => WithBackendAsync(context, parse, "run-job", async (_, backend) =>
        {
            var name = parse.GetValue(job)!;
            context.Ui.Info($"Running job: {name}");
            var exit = await backend.RunJobAsync(name, ct);
            if (exit != 0)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed, $"job '{name}' failed with exit code {exit}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Opens D, picks its backend, and (for commands that change things) logs every child command to D/.slipway/logs/.</summary>
    private static Task<int> WithBackendAsync(CliContext context, ParseResult parse, string? logName, Func<Deployment, IDeploymentBackend, Task<int>> action) =>
        context.GuardAsync(parse, async () =>
        {
            if (parse.GetValue(context.Stack) is not null)
            {
                throw new SlipwayException(FailureReason.InvalidInput, "--stack can't be given with the deployment command: the deployment directory names its stack");
            }

            var deployment = Deployment.Open(Path.Combine(Directory.GetCurrentDirectory(), parse.GetValue(context.Dir)!));

            FileCommandLog? log = null;
            try
            {
                IProcessRunner runner = context.Runner;
                if (logName is not null)
                {
                    log = FileCommandLog.ForCommand(deployment.Layout.Logs, logName);
                    log.Redact(deployment.SecretValues);
                    runner = new LoggingProcessRunner(runner, log);
                }

                var backend = BackendFactory.Create(deployment, runner, context.Environment(runner));
                return await action(deployment, backend);
            }
            catch (SlipwayException) when (log is not null)
            {
                context.Ui.Error.WriteLine($"log: {log.Path}");
                throw;
            }
            finally
            {
                log?.Dispose();
            }
        });

    internal static async Task PrintStatusAsync(CliContext context, IDeploymentBackend backend, bool json, CancellationToken ct)
    {
        var states = await backend.StatusAsync(ct);
        if (json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartArray();
                foreach (var s in states)
                {
                    writer.WriteStartObject();
                    writer.WriteString("service", s.Service);
                    writer.WriteString("name", s.Name);
                    writer.WriteString("id", s.Id);
                    writer.WriteString("state", s.State);
                    if (s.Health is null) writer.WriteNull("health"); else writer.WriteString("health", s.Health);
                    writer.WriteStartArray("ports");
                    foreach (var p in s.Ports)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("hostIp", p.HostIp);
                        writer.WriteNumber("hostPort", p.HostPort);
                        writer.WriteNumber("targetPort", p.TargetPort);
                        writer.WriteString("protocol", p.Protocol);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            context.Ui.Result(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return;
        }

        if (states.Count == 0)
        {
            context.Ui.Result("No containers running");
            return;
        }

        context.Ui.Table(["SERVICE", "CONTAINER", "STATE", "HEALTH", "PORTS"],
            states.Select(s => (IReadOnlyList<string>)[s.Service, s.Name, s.State, s.Health ?? "-", s.Ports.Count == 0 ? "-" : string.Join(", ", s.Ports)]));
    }
}
