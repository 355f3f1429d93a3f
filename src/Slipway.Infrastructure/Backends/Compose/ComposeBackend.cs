using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Compose;

/// <summary>
/// Runs a deployment with Docker Compose v2. The project name is the deployment-id (never a folder name, so a
/// rename cannot orphan volumes); files are D's pod files plus D/overrides/; config.env feeds interpolation.
/// </summary>
public sealed partial class ComposeBackend(Deployment deployment, IProcessRunner runner, string docker = "docker") : IDeploymentBackend
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
        var command = new List<string> { "up", "--detach" };
        if (options.Wait)
        {
            command.AddRange(["--wait", "--wait-timeout", ((int)options.WaitTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        command.Add("--remove-orphans");
        if (options.ForceRecreate) command.Add("--force-recreate");
        command.AddRange(options.Services);
        var result = await RunAsync(Arguments(ApplyFiles(options), [.. command]), cancellationToken, options.Progress, timeout: options.WaitTimeout + TimeSpan.FromMinutes(2));
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

    public async Task<StopOutcome> StopAsync(StopOptions options, CancellationToken cancellationToken)
    {
        var deleteVolumes = options.DeleteVolumes;
        var removed = new List<string>();
        if (deleteVolumes)
        {
            // Ask the engine rather than the compose files: it also knows volumes of pods the stack has since dropped.
            var list = await runner.RunAsync(Spec(["volume", "ls", "--quiet", "--filter", $"label=com.docker.compose.project={ProjectName}"]), cancellationToken);
            if (!list.Succeeded)
            {
                // Deleting data is only done when we can say what goes (DESIGN §5).
                throw Failure("volume ls", list, FailureReason.DeploymentFailed);
            }

            removed.AddRange(list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
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

    /// <summary>Where the image pins of the last apply/plan are written, as one more compose file.</summary>
    public string ImagePinsFile => Path.Combine(deployment.Layout.State, "compose-images.yml");

    /// <summary>
    /// The pod files and overrides, plus (when <see cref="ApplyOptions.ImagePins"/> touches any service) a generated
    /// override that sets those services' image; the rendered files themselves are never edited for a pin.
    /// </summary>
    private IEnumerable<string> ApplyFiles(ApplyOptions options)
    {
        var files = deployment.PodComposeFiles.Concat(deployment.OverrideFiles).ToList();
        if (PinsOverride(files, options.ImagePins) is { } yaml)
        {
            Files.AtomicFile.WriteText(ImagePinsFile, yaml);
            files.Add(ImagePinsFile);
        }

        return files;
    }

    /// <summary>The override YAML pinning every service whose image is a key of <paramref name="pins"/>; null when none is.</summary>
    public static string? PinsOverride(IEnumerable<string> files, IReadOnlyDictionary<string, string> pins)
    {
        if (pins.Count == 0) return null;
        var pinned = ReadServiceImages(files)
            .Where(s => pins.ContainsKey(s.Value))
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        if (pinned.Count == 0) return null;
        var text = new System.Text.StringBuilder("# Written by slipway for one apply: image pins (stack image -> immutable reference).\nservices:\n");
        foreach (var (service, image) in pinned)
        {
            text.Append("  ").Append(service).Append(":\n    image: \"").Append(pins[image].Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"\n");
        }

        return text.ToString();
    }

    /// <summary>service → image as the given compose files declare it (a later file wins), without interpolation.</summary>
    public static IReadOnlyDictionary<string, string> ReadServiceImages(IEnumerable<string> files)
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files.Where(File.Exists))
        {
            if (YamlDocuments.Load(File.ReadAllText(file), file, new DiagnosticBag()) is not YamlMappingNode root
                || !root.Children.TryGetValue(new YamlScalarNode("services"), out var node) || node is not YamlMappingNode services) continue;
            foreach (var (name, definition) in services.Children)
            {
                if (name is YamlScalarNode { Value: { } service } && definition is YamlMappingNode map
                    && map.Children.TryGetValue(new YamlScalarNode("image"), out var image) && image is YamlScalarNode { Value: { Length: > 0 } value })
                {
                    images[service] = value;
                }
            }
        }

        return images;
    }

    /// <summary>
    /// What <c>up</c> would do, from compose's own <c>--dry-run</c> (so it sees exactly what a real apply would
    /// compare: config hashes, images, orphans); nothing is changed.
    /// </summary>
    public async Task<IReadOnlyList<PlannedChange>> PlanAsync(ApplyOptions options, CancellationToken cancellationToken)
    {
        var command = new List<string> { "up", "--detach", "--remove-orphans" };
        if (options.ForceRecreate) command.Add("--force-recreate");
        command.AddRange(options.Services);
        var args = Arguments(ApplyFiles(options), [.. command]).ToList();
        args.Insert(1, "--dry-run");
        var result = await RunAsync(args, cancellationToken, timeout: TimeSpan.FromMinutes(2));
        if (!result.Succeeded)
        {
            throw Failure("up --dry-run", result, FailureReason.DeploymentFailed);
        }

        return ParseDryRun(result.StandardError + "\n" + result.StandardOutput, ProjectName);
    }

    /// <summary>
    /// Reads compose's dry-run lines (<c>DRY-RUN MODE -  Container p-web-1  Recreate</c>): the first word compose
    /// says about each object is what would happen to it.
    /// </summary>
    public static IReadOnlyList<PlannedChange> ParseDryRun(string output, string project)
    {
        var changes = new Dictionary<(string Kind, string Name), PlannedChange>();
        foreach (var raw in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = DryRunLine().Match(raw);
            if (!match.Success) continue;
            var kind = match.Groups["kind"].Value.ToLowerInvariant();
            var name = match.Groups["name"].Value.Trim('"');
            if (kind == "container" && ContainerPrefix().IsMatch(name)) continue; // compose's temporary name during a recreate
            var action = match.Groups["verb"].Value switch
            {
                "Creating" or "Create" => "create",
                "Recreate" or "Recreating" => "recreate",
                "Running" => "unchanged",
                "Starting" or "Start" => "start",
                "Removing" or "Remove" or "Stopping" => "delete",
                "Pulling" or "Pull" => "pull",
                _ => null,
            };
            if (action is null || changes.ContainsKey((kind, name))) continue;
            var display = kind == "container" ? ServiceOf(name, project) : name.StartsWith(project + "_", StringComparison.Ordinal) ? name[(project.Length + 1)..] : name;
            changes[(kind, name)] = new PlannedChange(kind == "container" ? "service" : kind, display, action, kind == "container" ? name : null);
        }

        return changes.Values.OrderBy(c => c.Kind, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static string ServiceOf(string container, string project)
    {
        var name = container.StartsWith(project + "-", StringComparison.Ordinal) ? container[(project.Length + 1)..] : container;
        var dash = name.LastIndexOf('-');
        return dash > 0 && name[(dash + 1)..].All(char.IsAsciiDigit) ? name[..dash] : name;
    }

    [GeneratedRegex(@"DRY-RUN MODE -\s+(?<kind>Container|Network|Volume)\s+(?<name>\S+)\s+(?<verb>\w+)")]
    private static partial Regex DryRunLine();

    [GeneratedRegex(@"^[0-9a-f]{12}_")]
    private static partial Regex ContainerPrefix();

    /// <summary>
    /// Every container's state, then for each one that is not running and healthy: its last health-check results and
    /// its last <paramref name="tailLines"/> log lines. Each probe's failure is reported in the text, never thrown.
    /// </summary>
    public async Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder();
        IReadOnlyList<ServiceState> states;
        try
        {
            states = await StatusAsync(cancellationToken);
        }
        catch (SlipwayException ex)
        {
            return $"could not list the containers: {ex.Message}";
        }

        text.AppendLine($"containers of project {ProjectName}:");
        if (states.Count == 0) text.AppendLine("  (none)");
        foreach (var s in states)
        {
            text.AppendLine($"  {s.Service}: {s.Name} {s.State}{(s.Health is null ? "" : $" ({s.Health})")}");
        }

        var troubled = states.Where(s => !s.IsRunning || s.Health is "unhealthy" or "starting").ToList();
        foreach (var s in troubled)
        {
            text.AppendLine();
            text.AppendLine($"service {s.Service} ({s.Name}): {s.State}{(s.Health is null ? "" : $", health {s.Health}")}");
            var inspect = await RunAsync(["inspect", "--format", "{{if not .State.Running}}exit code {{.State.ExitCode}}{{if .State.Error}}, error {{.State.Error}}{{end}}{{end}}{{if .State.Health}}{{range .State.Health.Log}}\nhealth check exit {{.ExitCode}}: {{.Output}}{{end}}{{end}}", s.Id],
                cancellationToken, timeout: TimeSpan.FromSeconds(30));
            text.AppendLine(Indent(inspect.Succeeded ? inspect.StandardOutput : $"docker inspect failed: {inspect.Tail(3)}"));
            var logs = await RunAsync(["logs", "--tail", tailLines.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Id], cancellationToken, timeout: TimeSpan.FromSeconds(30));
            text.AppendLine($"  last {tailLines} log lines:");
            text.AppendLine(Indent(logs.StandardOutput + logs.StandardError, "    | "));
        }

        if (troubled.Count == 0 && states.Count > 0) text.AppendLine("every container is running and none is unhealthy");
        return text.ToString().TrimEnd();
    }

    private static string Indent(string text, string prefix = "    ") =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => prefix + l.TrimEnd()));

    /// <summary>Compose runs the engine's local images: nothing to load.</summary>
    public Task LoadImagesAsync(IReadOnlyList<string> images, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// One <c>docker ps</c> filtered by the project label: the same containers <c>compose ps</c> lists, at a quarter of
    /// the cost (it runs after every start, so it counts against start's overhead over raw compose).
    /// </summary>
    public async Task<IReadOnlyList<ServiceState>> StatusAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(["ps", "--all", "--no-trunc", "--filter", $"label=com.docker.compose.project={ProjectName}", "--format", "{{json .}}"], cancellationToken);
        if (!result.Succeeded)
        {
            throw Failure("ps", result, FailureReason.DeploymentFailed);
        }

        return ParseDockerPs(result.StandardOutput);
    }

    /// <summary>Parses <c>docker ps --format '{{json .}}'</c> lines; one-off containers (run-job) are left out.</summary>
    public static IReadOnlyList<ServiceState> ParseDockerPs(string output)
    {
        var states = new List<ServiceState>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var item = JsonDocument.Parse(line).RootElement;
            var labels = Text(item, "Labels");
            if (Label(labels, "com.docker.compose.oneoff") == "True") continue;
            var status = Text(item, "Status");
            var health = status.Contains("(healthy)", StringComparison.Ordinal) ? "healthy"
                : status.Contains("(unhealthy)", StringComparison.Ordinal) ? "unhealthy"
                : status.Contains("(health: starting)", StringComparison.Ordinal) ? "starting"
                : null;
            var id = Text(item, "ID");
            states.Add(new ServiceState(Label(labels, "com.docker.compose.service") ?? "", Text(item, "Names"), id[..Math.Min(12, id.Length)],
                Text(item, "State"), health, ParsePorts(Text(item, "Ports"))));
        }

        return states.OrderBy(s => s.Service, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    private static string? Label(string labels, string name)
    {
        // Label values may hold commas (depends_on), so match the key at an entry start and stop at the next comma.
        var match = Regex.Match(labels, $"(?:^|,){Regex.Escape(name)}=([^,]*)");
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary><c>0.0.0.0:32773->80/tcp, [::]:32773->80/tcp, 53/udp, 127.0.0.1:8000-8001->8000-8001/tcp</c>.</summary>
    internal static IReadOnlyList<PublishedPort> ParsePorts(string text)
    {
        var ports = new List<PublishedPort>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var slash = entry.LastIndexOf('/');
            var protocol = slash < 0 ? "tcp" : entry[(slash + 1)..];
            var body = slash < 0 ? entry : entry[..slash];
            var arrow = body.IndexOf("->", StringComparison.Ordinal);
            if (arrow < 0)
            {
                ports.AddRange(Range(body).Select(target => new PublishedPort("", 0, target, protocol)));
                continue;
            }

            var host = body[..arrow];
            var colon = host.LastIndexOf(':');
            var hostIp = colon < 0 ? "" : host[..colon].Trim('[', ']');
            var published = Range(host[(colon + 1)..]).ToList();
            var targets = Range(body[(arrow + 2)..]).ToList();
            for (var i = 0; i < targets.Count && published.Count > 0; i++)
            {
                ports.Add(new PublishedPort(hostIp, published[Math.Min(i, published.Count - 1)], targets[i], protocol));
            }
        }

        return ports;
    }

    private static IEnumerable<int> Range(string text)
    {
        var dash = text.IndexOf('-');
        if (dash < 0) return int.TryParse(text, out var single) ? [single] : [];
        return int.TryParse(text[..dash], out var start) && int.TryParse(text[(dash + 1)..], out var end) && end >= start
            ? Enumerable.Range(start, end - start + 1)
            : [];
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
