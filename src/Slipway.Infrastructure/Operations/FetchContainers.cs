using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Registry;

namespace Slipway.Infrastructure.Operations;

public sealed record FetchContainersRequest
{
    public string? StackArgument { get; init; }

    /// <summary>Only these containers (their names as the stack lists them).</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>host[:port]/org: images are looked for as &lt;registry&gt;/&lt;container&gt; (the container's own org kept).</summary>
    public required string ImageRegistry { get; init; }

    public required string Username { get; init; }

    public required string Token { get; init; }

    /// <summary>Retag an existing &lt;container&gt;:local too (left alone otherwise).</summary>
    public bool ForceLocalOverwrite { get; init; }
}

/// <param name="Reference">What was pulled; null when the registry has no image of this machine's architecture.</param>
public sealed record FetchedContainer(string Container, string? Reference, bool Tagged);

/// <summary>
/// <c>fetch-containers</c> (laconic-so's, experimental there too): for each of the stack's containers, the newest tag (the
/// greatest by ordinal order) in the registry whose image is for the daemon's architecture is pulled and tagged
/// &lt;container&gt;:local, unless that exists and --force-local-overwrite is not given. Logged in with docker for the pulls,
/// logged out afterwards; the tags are read over the registry's HTTP API.
/// </summary>
public sealed class FetchContainers(SlipwayEnvironment env)
{
    public async Task<IReadOnlyList<FetchedContainer>> RunAsync(FetchContainersRequest request, CancellationToken cancellationToken)
    {
        if (request.StackArgument is null)
        {
            throw new SlipwayException(FailureReason.InvalidInput, "--stack is required: slipway --stack PATH fetch-containers ...",
                "Slipway has no built-in list of every container (laconic-so's container-image-list.txt); name the stack whose containers: to fetch");
        }

        var files = new DiskHostFiles();
        var diagnostics = new DiagnosticBag();
        var stack = Stack.Load(StackResolver.Resolve(request.StackArgument, env.CurrentDirectory, env.ShippedStackRoots, files), files, diagnostics, podsRequired: false);
        var containers = stack.Definition.Containers;
        if (containers.Count == 0)
        {
            env.Reporter.Warn($"stack {stack.Name} does not define any containers");
            return [];
        }

        foreach (var (option, names) in new[] { ("--include", request.Include), ("--exclude", request.Exclude) })
        {
            if (names.Where(n => !containers.Contains(n)).ToList() is { Count: > 0 } unknown)
            {
                throw new SlipwayException(FailureReason.NotFound, $"{option} names {string.Join(", ", unknown)}, which is not among the stack's containers", "containers: " + string.Join(", ", containers));
            }
        }

        var registry = ImagePublisher.NormalizeRegistry(request.ImageRegistry);
        var host = registry.Split('/')[0];
        var docker = env.ToolBox.Docker;
        var version = await docker.RunAsync(["version", "--format", "{{.Server.Arch}}"], cancellationToken, TimeSpan.FromMinutes(1));
        if (!version.Succeeded) throw Tools.Docker.Failure("docker version", version, FailureReason.PrerequisiteMissing);
        var architecture = version.StandardOutput.Trim();
        await docker.LoginAsync(host, request.Username, request.Token, "--registry-token", cancellationToken);
        try
        {
            // A loopback registry is asked directly, never through an HTTP proxy of the environment.
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = !RegistryTags.IsLoopback(host) }) { Timeout = TimeSpan.FromMinutes(1) };
            var tags = new RegistryTags(http, host, request.Username, request.Token);
            var fetched = new List<FetchedContainer>();
            foreach (var container in containers.Where(c => (request.Include.Count == 0 || request.Include.Contains(c)) && !request.Exclude.Contains(c)))
            {
                fetched.Add(await FetchAsync(tags, registry, host, container, architecture, request, cancellationToken));
            }

            if (fetched.Where(f => f.Reference is null).Select(f => f.Container).ToList() is { Count: > 0 } missing)
            {
                env.Reporter.Warn($"no {architecture} image in {registry} for {string.Join(", ", missing)}: nothing fetched for {(missing.Count == 1 ? "it" : "them")}");
            }

            return fetched;
        }
        finally
        {
            // The login was only for these pulls: docker's credential store is left as it was found.
            await docker.RunAsync(["logout", host], CancellationToken.None, TimeSpan.FromMinutes(1));
        }
    }

    private async Task<FetchedContainer> FetchAsync(RegistryTags tags, string registry, string host, string container, string architecture, FetchContainersRequest request, CancellationToken cancellationToken)
    {
        var image = RegistryImages.Under(registry, container);
        var repository = image[(host.Length + 1)..];
        string? newest = null;
        // laconic-so keeps the tags for this architecture and takes the greatest: asked from the greatest down, the first that is.
        foreach (var tag in (await tags.TagsAsync(repository, cancellationToken)).OrderByDescending(t => t, StringComparer.Ordinal))
        {
            if ((await tags.ArchitecturesAsync(repository, tag, cancellationToken)).Contains(architecture))
            {
                newest = tag;
                break;
            }
        }

        if (newest is null) return new FetchedContainer(container, null, false);
        var reference = $"{image}:{newest}";
        var docker = env.ToolBox.Docker;
        var pull = await docker.RunAsync(["pull", "--quiet", reference], cancellationToken, TimeSpan.FromMinutes(30));
        if (!pull.Succeeded) throw Tools.Docker.Failure($"docker pull {reference}", pull, FailureReason.DeploymentFailed);
        var local = container + ":local";
        if (!request.ForceLocalOverwrite && await docker.ImageExistsAsync(local, cancellationToken))
        {
            env.Reporter.Info($"{container}: pulled {reference}; {local} exists and is kept (--force-local-overwrite replaces it)");
            return new FetchedContainer(container, reference, false);
        }

        await docker.TagAsync(reference, local, null, cancellationToken);
        env.Reporter.Info($"{container}: pulled {reference}, tagged {local}");
        return new FetchedContainer(container, reference, true);
    }
}
