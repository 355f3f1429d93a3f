using System.Globalization;
using Slipway.Core.Config;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Webapps;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Operations;

public sealed record BuildWebappRequest
{
    public required string Source { get; init; }

    /// <summary>--base-container; chosen from the source's package.json when absent.</summary>
    public string? BaseContainer { get; init; }

    /// <summary>--tag; <c>cerc/&lt;source folder&gt;:local</c> when absent.</summary>
    public string? Tag { get; init; }

    /// <summary>The global --stack: the stack whose container-build holds the base image's folder (default: the shipped webapp-template).</summary>
    public string? StackArgument { get; init; }

    public bool ForceRebuild { get; init; }

    public string? ExtraBuildArgs { get; init; }

    public bool Debug { get; init; }
}

public sealed record BuiltWebapp(string Tag, string BaseContainer, string BaseDirectory, TimeSpan Duration);

public sealed record RunWebappRequest
{
    public required string Image { get; init; }

    public string? EnvFile { get; init; }

    /// <summary>The host port for the container's port 80; a free one when absent.</summary>
    public int? Port { get; init; }

    /// <summary>The host address the port is published on; all addresses (laconic-so's) when absent.</summary>
    public string? HostAddress { get; init; }
}

public sealed record RunningWebapp(string Image, string Id, int HostPort);

public sealed record DeployWebappRequest
{
    public required string DeploymentDirectory { get; init; }

    public required string Image { get; init; }

    public required string Url { get; init; }

    public DeployTarget DeployTo { get; init; } = DeployTarget.K8s;

    public string? KubeConfig { get; init; }

    public string? ImageRegistry { get; init; }

    public string? EnvFile { get; init; }

    /// <summary>Where the spec is written (kept: restart syncs D from it); default <c>&lt;D&gt;.spec.yml</c> beside D.</summary>
    public string? SpecOutput { get; init; }
}

public sealed record DeployedWebapp(string SpecFile, string Host, string Path, CreateResult Created, IReadOnlyList<Diagnostic> InitWarnings);

/// <summary>laconic-so's webapp verbs: <c>build-webapp</c>, <c>run-webapp</c> and <c>deploy-webapp create</c>.</summary>
public sealed class Webapps(SlipwayEnvironment env)
{
    /// <summary>The stack Slipway ships for webapps: one service <c>webapp</c> on port 80.</summary>
    public const string TemplateStack = "webapp-template";

    public async Task<BuiltWebapp> BuildAsync(BuildWebappRequest request, CancellationToken cancellationToken)
    {
        var source = env.Resolve(StackResolver.ExpandHome(request.Source)).TrimEnd('/');
        if (!Directory.Exists(source))
        {
            throw new SlipwayException(FailureReason.NotFound, $"--source-repo {request.Source} is not a folder");
        }

        var diagnostics = new DiagnosticBag();
        var packageJson = Path.Combine(source, "package.json");
        var baseContainer = request.BaseContainer
            ?? WebappBase.Determine(File.Exists(packageJson) ? InputFile.ReadText(packageJson) : null, packageJson, diagnostics);
        diagnostics.ThrowIfErrors();

        var tag = request.Tag ?? WebappBase.DefaultTag(Path.GetFileName(source));
        if (!ImageReference.IsValid(tag))
        {
            throw new SlipwayException(FailureReason.InvalidInput,
                request.Tag is null ? $"the default tag {tag} (from the folder name) is not a valid image name" : $"--tag {tag} is not a valid image name",
                "give --tag with a lowercase name, e.g. --tag cerc/my-app:local");
        }

        var files = new DiskHostFiles();
        var stack = Stack.Load(StackResolver.Resolve(request.StackArgument ?? TemplateStack, env.CurrentDirectory, env.ShippedStackRoots, files), files, diagnostics);
        diagnostics.ThrowIfErrors();
        var baseDirectory = stack.ContainerBuildDirectory(baseContainer)
            ?? throw new SlipwayException(FailureReason.NotFound,
                $"no build folder for the base image {baseContainer}: expected container-build/{Stack.ContainerDirectoryName(baseContainer)}/ beside the stack {stack.Directory}",
                "Slipway ships no webapp base images: point --stack at a stack whose container-build has them, e.g. laconic-so's "
                + "--stack ~/cerc/stack-orchestrator/stack_orchestrator/data/stacks/webapp-template (see README, 'Webapps')");

        var builder = new WebappBuilder(env.ToolBox.Docker);
        var duration = await env.Reporter.StepAsync($"build webapp {tag} on {baseContainer}", progress =>
            builder.BuildAsync(new WebappBuildRequest
            {
                BaseContainer = baseContainer,
                BaseDirectory = baseDirectory,
                Source = source,
                Tag = tag,
                RepositoryBase = env.RepositoryBase,
                ForceRebuild = request.ForceRebuild,
                ExtraBuildArgs = request.ExtraBuildArgs,
                Debug = request.Debug,
                DockerBuildKit = env.GetEnvironment("DOCKER_BUILDKIT"),
            }, (what, line) => progress($"{what}: {line}"), cancellationToken));
        return new BuiltWebapp(tag, baseContainer, baseDirectory, duration);
    }

    /// <summary><c>docker run -d</c> of the image with its port 80 published; the env file's values go through the environment, never the command line.</summary>
    public async Task<RunningWebapp> RunAsync(RunWebappRequest request, CancellationToken cancellationToken)
    {
        if (request.Port is { } p && p is < 1 or > 65535)
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"--port {p} is not a port (1-65535)");
        }

        var environment = new Dictionary<string, string?>();
        var args = new List<string> { "run", "--detach", "--label", "io.slipway.webapp=" + request.Image };
        if (request.EnvFile is not null)
        {
            var path = env.Resolve(StackResolver.ExpandHome(request.EnvFile));
            if (!File.Exists(path)) throw new SlipwayException(FailureReason.NotFound, $"--env-file {request.EnvFile} does not exist");
            var diagnostics = new DiagnosticBag();
            var entries = DotEnvFile.Read(InputFile.ReadBytes(path), path, diagnostics);
            diagnostics.ThrowIfErrors();
            foreach (var entry in entries)
            {
                environment[entry.Key] = entry.Value;
                args.AddRange(["--env", entry.Key]);
            }
        }

        var address = request.HostAddress is null ? "" : request.HostAddress + ":";
        var hostPort = request.Port?.ToString(CultureInfo.InvariantCulture) ?? "";
        args.AddRange(["--publish", $"{address}{hostPort}:{WebappSpec.Port}", request.Image]);

        var docker = env.ToolBox.Docker.Bound(null, environment, environment.Values.OfType<string>().Where(v => v.Length >= 4).ToList());
        var run = await docker.RunAsync(args, cancellationToken, TimeSpan.FromMinutes(5));
        if (!run.Succeeded)
        {
            throw Tools.Docker.Failure($"docker run {request.Image}", run, FailureReason.DeploymentFailed,
                $"is {request.Image} built here? (slipway build-webapp --source-repo DIR --tag {request.Image})");
        }

        var id = run.StandardOutput.Trim().Split('\n')[^1].Trim();
        var port = await docker.RunAsync(["port", id, $"{WebappSpec.Port}/tcp"], cancellationToken, TimeSpan.FromSeconds(30));
        var published = port.Succeeded ? ParsePublishedPort(port.StandardOutput) : null;
        if (published is null)
        {
            var logs = await docker.LogsAsync(20, id, cancellationToken);
            throw new SlipwayException(FailureReason.DeploymentFailed,
                $"container {id[..Math.Min(12, id.Length)]} of {request.Image} has no published port {WebappSpec.Port} (it may have exited):\n{(logs.StandardOutput + logs.StandardError).TrimEnd()}",
                $"see 'docker logs {id}'; remove it with 'docker rm -f {id}'");
        }

        return new RunningWebapp(request.Image, id, published.Value);
    }

    /// <summary>The host port of <c>docker port</c>'s first line (<c>0.0.0.0:32768</c>, <c>[::]:32768</c>).</summary>
    internal static int? ParsePublishedPort(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (line is null) return null;
        var colon = line.LastIndexOf(':');
        return colon >= 0 && int.TryParse(line[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    /// <summary>
    /// <c>deploy-webapp create</c>: <c>deploy init</c> of the webapp-template stack (config from the env file) with the
    /// URL's http-proxy and the image as <c>image-overrides.webapp</c> (so a later create --update or restart keeps it,
    /// where laconic-so's text replacement in D/compose was undone), then <c>deploy create</c>.
    /// </summary>
    public async Task<DeployedWebapp> DeployAsync(DeployWebappRequest request, CancellationToken cancellationToken)
    {
        var directory = env.Resolve(request.DeploymentDirectory).TrimEnd('/');
        if (Directory.Exists(directory) || File.Exists(directory))
        {
            throw new SlipwayException(FailureReason.Conflict, $"deployment directory {request.DeploymentDirectory} already exists");
        }

        if (WebappSpec.ParseUrl(request.Url, out var urlError) is not { } url) throw new SlipwayException(FailureReason.InvalidInput, urlError!);
        if (!ImageReference.IsValid(request.Image)) throw new SlipwayException(FailureReason.InvalidInput, $"--image {request.Image} is not a valid image reference");

        var specFile = env.Resolve(request.SpecOutput ?? directory + ".spec.yml");
        var warnings = await new DeployInit(env).RunAsync(new InitRequest
        {
            StackArgument = TemplateStack,
            Output = specFile,
            DeployTo = request.DeployTo,
            ConfigFile = request.EnvFile,
            KubeConfig = request.KubeConfig is null ? null : env.Resolve(StackResolver.ExpandHome(request.KubeConfig)),
            ImageRegistry = request.ImageRegistry,
            Overlay = WebappSpec.Overlay(url.Host, url.Path, request.Image),
        }, cancellationToken);
        try
        {
            var created = await new DeployCreate(env).RunAsync(new CreateRequest { SpecFile = specFile, DeploymentDirectory = directory }, cancellationToken);
            return new DeployedWebapp(specFile, url.Host, url.Path, created, warnings);
        }
        catch
        {
            File.Delete(specFile); // this command wrote it; a failed create leaves nothing behind to refuse the next try
            throw;
        }
    }
}
