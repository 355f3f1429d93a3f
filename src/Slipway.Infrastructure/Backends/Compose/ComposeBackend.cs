using System.Text.Json;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Backends.Compose;

/// <summary>
/// Runs a deployment with Docker Compose v2. The project name is the deployment-id (never a folder name, so a
/// rename cannot orphan volumes); files are D's pod files plus D/overrides/; config.env feeds interpolation.
/// </summary>
public sealed class ComposeBackend(Deployment deployment, IProcessRunner runner, string docker = "docker") : IDeploymentBackend
{
    public string ProjectName => deployment.Identity.DeploymentId;

    /// <summary><c>docker compose</c> with this deployment's project, env file and compose files, then <paramref name="command"/>.</summary>
    public IReadOnlyList<string> Arguments(IEnumerable<string> files, params string[] command)
    {
        var args = new List<string> { "compose", "--ansi", "never", "--project-name", ProjectName };
        if (File.Exists(deployment.Layout.ConfigEnv))
        {
            args.AddRange(["--env-file", deployment.Layout.ConfigEnv]);
        }

        foreach (var file in files)
        {
            args.AddRange(["--file", file]);
        }

        args.AddRange(command);
        return args;
    }

    public IReadOnlyList<string> ProjectArguments(params string[] command) =>
        Arguments(deployment.PodComposeFiles.Concat(deployment.OverrideFiles), command);

    public async Task ApplyAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        var command = new List<string> { "up", "--detach", "--wait", "--wait-timeout", ((int)options.WaitTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "--remove-orphans" };
        if (options.ForceRecreate) command.Add("--force-recreate");
        command.AddRange(options.Services);
        var result = await RunAsync(ProjectArguments([.. command]), cancellationToken, options.Progress, timeout: options.WaitTimeout + TimeSpan.FromMinutes(2));
        if (!result.Succeeded)
        {
            if (!result.TimedOut && result.StandardError.Contains(" Pulling", StringComparison.Ordinal)
                && await MissingImagesAsync(cancellationToken) is { Count: > 0 } missing)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed,
                    $"docker compose start failed (exit code {result.ExitCode}): {(missing.Count == 1 ? "image" : "images")} {string.Join(", ", missing)} "
                    + $"{(missing.Count == 1 ? "is" : "are")} not available locally and could not be pulled:\n{result.Tail()}",
                    "build the stack's images with 'slipway --stack STACK build-containers', or check the image names and that the registry is reachable");
            }

            throw Failure("start", result, result.StandardError.Contains("unhealthy", StringComparison.OrdinalIgnoreCase) || result.TimedOut
                ? FailureReason.VerifyTimeout
                : FailureReason.DeploymentFailed);
        }
    }

    /// <summary>The project's images the engine does not have (after a failed pull), for the error message; empty when unknown.</summary>
    private async Task<IReadOnlyList<string>> MissingImagesAsync(CancellationToken cancellationToken)
    {
        var images = await RunAsync(ProjectArguments("config", "--images"), cancellationToken, timeout: TimeSpan.FromSeconds(30));
        if (!images.Succeeded) return [];
        var missing = new List<string>();
        foreach (var image in images.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal))
        {
            var inspect = await runner.RunAsync(Spec(["image", "inspect", "--format", "{{.Id}}", image]) with { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken);
            if (!inspect.Succeeded) missing.Add(image);
        }

        return missing;
    }

    public async Task<StopOutcome> StopAsync(bool deleteVolumes, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        if (deleteVolumes)
        {
            // Ask the engine rather than the compose files: it also knows volumes of pods the stack has since dropped.
            var list = await runner.RunAsync(Spec(["volume", "ls", "--quiet", "--filter", $"label=com.docker.compose.project={ProjectName}"]), cancellationToken);
            if (list.Succeeded)
            {
                removed.AddRange(list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
            }
        }

        var command = new List<string> { "down", "--remove-orphans" };
        if (deleteVolumes) command.Add("--volumes");
        var result = await RunAsync(ProjectArguments([.. command]), cancellationToken);
        if (!result.Succeeded)
        {
            throw Failure("stop", result, FailureReason.DeploymentFailed);
        }

        var kept = deployment.HostPathVolumes();
        return new StopOutcome(deleteVolumes ? removed : [], kept);
    }

    public async Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(ProjectArguments("ps", "--all", "--format", "json"), cancellationToken);
        if (!result.Succeeded)
        {
            throw Failure("ps", result, FailureReason.DeploymentFailed);
        }

        return ParsePs(result.StandardOutput);
    }

    /// <summary>Compose 2.21+ prints one JSON object per line; older versions print one array.</summary>
    public static IReadOnlyList<ServiceState> ParsePs(string output)
    {
        var states = new List<ServiceState>();
        var text = output.Trim();
        if (text.Length == 0) return states;
        IEnumerable<JsonElement> items = text.StartsWith('[')
            ? JsonDocument.Parse(text).RootElement.EnumerateArray().ToList()
            : text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var item in items)
        {
            var ports = new List<PublishedPort>();
            if (item.TryGetProperty("Publishers", out var publishers) && publishers.ValueKind == JsonValueKind.Array)
            {
                foreach (var p in publishers.EnumerateArray())
                {
                    ports.Add(new PublishedPort(
                        p.TryGetProperty("URL", out var url) ? url.GetString() ?? "" : "",
                        p.TryGetProperty("PublishedPort", out var published) ? published.GetInt32() : 0,
                        p.TryGetProperty("TargetPort", out var target) ? target.GetInt32() : 0,
                        p.TryGetProperty("Protocol", out var protocol) ? protocol.GetString() ?? "tcp" : "tcp"));
                }
            }

            var health = item.TryGetProperty("Health", out var h) ? h.GetString() : null;
            states.Add(new ServiceState(
                Text(item, "Service"), Text(item, "Name"), Text(item, "ID"), Text(item, "State"),
                string.IsNullOrEmpty(health) ? null : health,
                ports.Distinct().ToList()));
        }

        return states.OrderBy(s => s.Service, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken)
    {
        var command = new List<string> { "logs", "--no-color" };
        if (options.Follow) command.Add("--follow");
        if (options.Tail is { } tail) command.AddRange(["--tail", tail.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        command.AddRange(options.Services);
        var result = await runner.RunAsync(Spec(ProjectArguments([.. command])) with { Inherit = true }, cancellationToken);
        return result.ExitCode;
    }

    public async Task<string> PortAsync(string service, string port, CancellationToken cancellationToken)
    {
        var result = await RunAsync(ProjectArguments("port", service, port), cancellationToken);
        var answer = result.StandardOutput.Trim();
        if (!result.Succeeded || answer.Length == 0 || answer.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new SlipwayException(FailureReason.NotFound,
                $"service '{service}' has no published port {port}{(result.Succeeded ? "" : ": " + result.Tail(3))}",
                "check 'deployment ps'; the port must be listed under the service's ports (or network.ports in the spec)");
        }

        return answer.Split('\n')[0];
    }

    public async Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken)
    {
        var args = new List<string> { "exec" };
        if (!interactive) args.Add("--no-TTY");
        args.Add(service);
        args.AddRange(command);
        var result = await runner.RunAsync(Spec(ProjectArguments([.. args])) with { Inherit = true }, cancellationToken);
        return result.ExitCode;
    }

    public async Task<int> RunJobAsync(string job, CancellationToken cancellationToken)
    {
        if (!deployment.Stack.Jobs.Contains(job))
        {
            throw new SlipwayException(FailureReason.NotFound, $"the stack has no job '{job}'",
                deployment.Stack.Jobs.Count == 0 ? "the stack defines no jobs" : "jobs: " + string.Join(", ", deployment.Stack.Jobs));
        }

        // The pod files come first so the job joins the project's network and can reach its services by name.
        var files = deployment.PodComposeFiles.Concat(deployment.OverrideFiles).Append(deployment.Layout.JobComposeFile(job));
        var result = await runner.RunAsync(Spec(Arguments(files, "run", "--rm", "--no-TTY", job)) with { Inherit = true }, cancellationToken);
        return result.ExitCode;
    }

    private ProcessSpec Spec(IReadOnlyList<string> args) => new(docker, args)
    {
        WorkingDirectory = deployment.Layout.Directory,
        Environment = ChildEnvironment(),
        Secrets = deployment.SecretValues,
    };

    private Task<ProcessResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, Action<string>? progress = null, TimeSpan? timeout = null) =>
        runner.RunAsync(Spec(args) with
        {
            OnStandardError = progress,
            OnStandardOutput = progress,
            Timeout = timeout ?? TimeSpan.FromMinutes(5),
        }, cancellationToken);

    /// <summary>
    /// Compose lets the caller's shell environment override --env-file values during interpolation; unsetting the
    /// config keys makes D/config.env the one source, whoever runs the command.
    /// </summary>
    private Dictionary<string, string?> ChildEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["COMPOSE_PROJECT_NAME"] = null,
            ["COMPOSE_FILE"] = null,
            ["COMPOSE_PROFILES"] = null,
            ["COMPOSE_ENV_FILES"] = null,
            ["COMPOSE_STATUS_STDOUT"] = null,
        };
        foreach (var entry in deployment.Config)
        {
            environment[entry.Key] = null;
        }

        return environment;
    }

    private static SlipwayException Failure(string what, ProcessResult result, FailureReason reason)
    {
        var reasonText = result.TimedOut ? "timed out" : $"exit code {result.ExitCode}";
        return new SlipwayException(reason, $"docker compose {what} failed ({reasonText}):\n{result.Tail()}",
            "the full output is in the log under .slipway/logs/ of the deployment directory");
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
