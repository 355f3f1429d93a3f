using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Hooks;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Operations;

/// <summary>The group flags of stack mode: <c>slipway --stack S deploy [--include|--exclude PODS] [--env-file F] [--cluster P] VERB</c>.</summary>
public sealed record StackDeployRequest
{
    /// <summary>The global <c>--stack</c> exactly as given: laconic-so's default project name hashes this text.</summary>
    public required string StackArgument { get; init; }

    public string? Include { get; init; }

    public string? Exclude { get; init; }

    /// <summary>A dotenv file for compose's variable substitution.</summary>
    public string? EnvFile { get; init; }

    /// <summary>The compose project name; laconic-so's default for the same flags otherwise.</summary>
    public string? Cluster { get; init; }

    /// <summary>--debug: CERC_SCRIPT_DEBUG=true for compose substitution, as laconic-so sets it.</summary>
    public bool Debug { get; init; }

    /// <summary>--dry-run: the runner only tells what it would run, so nothing may be asked of compose (service names are not checked).</summary>
    public bool DryRun { get; init; }
}

/// <summary>What a stack-mode command runs over: the stack, the pods taking part, and their compose project.</summary>
public sealed record StackProjectInfo(Stack Stack, IReadOnlyList<PodReference> Pods, string ProjectName, IReadOnlyList<string> ComposeFiles, string? EnvFile);

/// <summary>
/// Stack mode: laconic-so's <c>deploy up|down|ps|port|exec|logs</c> straight from the stack's compose files, with no
/// deployment directory, spec, pipeline or verify (that is what <c>deployment --dir D</c> is for). One compose project
/// over every selected pod's file; CERC_HOST_UID/GID exported for substitution.
/// </summary>
public sealed class StackDeploy(SlipwayEnvironment env)
{
    private readonly DiskHostFiles _files = new();

    public StackProjectInfo Open(StackDeployRequest request)
    {
        var directory = StackResolver.Resolve(request.StackArgument, env.CurrentDirectory, env.ShippedStackRoots, _files);
        var diagnostics = new DiagnosticBag();
        var stack = Stack.Load(directory, _files, diagnostics, fallbackRoots: env.LaconicDataRoots);
        diagnostics.ThrowIfErrors();
        foreach (var warning in diagnostics.Sorted()) env.Reporter.Warn(warning.ToString());
        var pods = StackSelection.Pods(stack.Definition, request.Include, request.Exclude);
        if (pods.Count == 0)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"no pod of stack {stack.Name} is selected",
                stack.Definition.Pods.Count == 0 ? "the stack defines no pods" : "check --include/--exclude; pods: " + string.Join(", ", stack.Definition.Pods.Select(p => p.Name)));
        }

        var files = new List<string>();
        foreach (var pod in pods)
        {
            files.Add(stack.ComposeFile(pod, env.RepositoryBase) ?? throw new SlipwayException(FailureReason.NotFound,
                $"pod '{pod.Name}' has no compose file" + (pod.IsExternal ? $" in {Path.Combine(env.RepositoryBase, Path.GetFileName(pod.Repository!.TrimEnd('/')))}" : $" (docker-compose-{pod.Name}.yml under the stack's compose/)"),
                pod.IsExternal ? $"clone its repository first: slipway --stack {request.StackArgument} setup-repositories" : null));
        }

        string? envFile = null;
        if (request.EnvFile is not null)
        {
            envFile = env.Resolve(request.EnvFile);
            if (!File.Exists(envFile)) throw new SlipwayException(FailureReason.NotFound, $"--env-file {request.EnvFile} does not exist");
        }

        var project = request.Cluster ?? StackSelection.DefaultProjectName(request.StackArgument, request.Include, request.Exclude);
        return new StackProjectInfo(stack, pods, project, files, envFile);
    }

    internal DockerCompose Compose(StackProjectInfo info, bool debug)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // The project is named by the flags alone, never by what the operator's shell happens to export.
            ["COMPOSE_PROJECT_NAME"] = null,
            ["COMPOSE_FILE"] = null,
            ["COMPOSE_PROFILES"] = null,
            ["COMPOSE_ENV_FILES"] = null,
        };
        foreach (var (key, value) in HostUser.ComposeVariables(debug)) environment[key] = value;
        var docker = env.ToolBox.Docker.Bound(env.CurrentDirectory, environment, []);
        return new DockerCompose(docker, new ComposeProject(info.ProjectName, info.EnvFile, info.ComposeFiles));
    }

    public async Task<StackProjectInfo> UpAsync(StackDeployRequest request, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        var info = Open(request);
        var compose = Compose(info, request.Debug);
        if (!request.DryRun) await CheckServicesAsync(compose, services, cancellationToken);
        await RunPodScriptsAsync(info, request, post: false, cancellationToken);
        // Stack mode has no verify stage: up returns once the containers are created and started, as laconic-so's.
        await compose.UpAsync(new ComposeUp { Services = services, Wait = false, RemoveOrphans = false }, line => env.Reporter.Detail(line), cancellationToken);
        await RunPodScriptsAsync(info, request, post: true, cancellationToken);
        if (info.Stack.Definition.Config.Count > 0 && !request.DryRun)
        {
            // Only directives between services this up started: an excluded pod's service has nothing to give or take.
            var running = services.Count > 0 ? services : await ServicesAsync(compose, cancellationToken);
            var directives = info.Stack.Definition.Config.Where(d => running.Contains(d.Source) && running.Contains(d.Destination)).ToList();
            await ConfigDirectives.RunAsync(compose, directives, line => env.Reporter.Detail(line), env.Clock, Task.Delay, cancellationToken);
        }

        return info;
    }

    public async Task<StackProjectInfo> DownAsync(StackDeployRequest request, bool deleteVolumes, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var info = Open(request);
        // No --remove-orphans, as laconic-so's down: another selection's pods under the same --cluster are not this one's to remove.
        await Compose(info, request.Debug).DownAsync(deleteVolumes, cancellationToken, timeoutSeconds, removeOrphans: false);
        return info;
    }

    public async Task<IReadOnlyList<ServiceState>> PsAsync(StackDeployRequest request, CancellationToken cancellationToken)
    {
        var info = Open(request);
        var compose = Compose(info, request.Debug);
        return DockerPs.Parse(await compose.Docker.ListContainersAsync($"com.docker.compose.project={info.ProjectName}", cancellationToken));
    }

    public async Task<string> PortAsync(StackDeployRequest request, string service, string port, CancellationToken cancellationToken)
    {
        var compose = Compose(Open(request), request.Debug);
        await CheckServicesAsync(compose, [service], cancellationToken);
        var result = await compose.PortAsync(service, port, cancellationToken);
        var answer = result.StandardOutput.Trim();
        if (!result.Succeeded || answer.Length == 0 || answer.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new SlipwayException(FailureReason.NotFound, $"service '{service}' has no published port {port}{(result.Succeeded ? "" : ": " + result.Tail(3))}",
                "check 'deploy ps'; the port must be published by the service's ports");
        }

        return answer.Split('\n')[0];
    }

    /// <summary>
    /// Runs a command in a service; exits with its exit code (laconic-so prints an error and exits 0). A single argument
    /// holding spaces is run by <c>sh -c</c>, as laconic-so runs every command, so its quoted one-liners keep working.
    /// </summary>
    public async Task<int> ExecAsync(StackDeployRequest request, string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken)
    {
        var compose = Compose(Open(request), request.Debug);
        if (!request.DryRun) await CheckServicesAsync(compose, [service], cancellationToken);
        return await compose.ExecAsync(service, ExecCommandLine.Argv(command), interactive, cancellationToken);
    }

    public async Task<int> LogsAsync(StackDeployRequest request, LogsOptions options, CancellationToken cancellationToken)
    {
        var compose = Compose(Open(request), request.Debug);
        if (!request.DryRun) await CheckServicesAsync(compose, options.Services, cancellationToken);
        return await compose.LogsAsync(options, cancellationToken);
    }

    /// <summary>The selected dict pods' pre (or post) start scripts, from the stack itself (there is no D to copy them to).</summary>
    private async Task RunPodScriptsAsync(StackProjectInfo info, StackDeployRequest request, bool post, CancellationToken cancellationToken)
    {
        for (var i = 0; i < info.Pods.Count; i++)
        {
            if (PodScripts.Command(info.Pods[i], post) is not { } command) continue;
            var script = PodScripts.SourcePath(info.ComposeFiles[i], command);
            if (!OperatingSystem.IsWindows() && !request.DryRun && File.Exists(script) && (File.GetUnixFileMode(script) & UnixFileMode.UserExecute) == 0)
            {
                throw new SlipwayException(FailureReason.InvalidInput, $"pod '{info.Pods[i].Name}': {script} is not executable", $"chmod +x {script}");
            }

            // A dry run's runner says "Dry run: would run: SCRIPT"; the runner's own "running ..." line would claim it ran.
            Action<string>? progress = request.DryRun ? null : line => env.Reporter.Detail(line);
            await PodScriptRunner.RunAsync(env.Runner, info.Pods[i].Name, script, post, info.ProjectName, progress, cancellationToken, debug: request.Debug);
        }
    }

    private static async Task<IReadOnlyList<string>> ServicesAsync(DockerCompose compose, CancellationToken cancellationToken)
    {
        var result = await compose.Docker.RunAsync(compose.ProjectArguments("config", "--services"), cancellationToken, TimeSpan.FromSeconds(30));
        if (!result.Succeeded) throw DockerCompose.Failure("config", result, FailureReason.InvalidInput);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>A service name none of the selected pods defines is refused before compose runs (with did-you-mean).</summary>
    private static async Task CheckServicesAsync(DockerCompose compose, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        if (services.Count == 0) return;
        var known = await ServicesAsync(compose, cancellationToken);
        foreach (var service in services.Where(s => !known.Contains(s)))
        {
            throw new SlipwayException(FailureReason.Usage, $"no selected pod of the stack has a service '{service}'",
                (Core.Yaml.DidYouMean.Hint(service, known) is { } hint ? hint + " " : "") + "services: " + string.Join(", ", known));
        }
    }
}
