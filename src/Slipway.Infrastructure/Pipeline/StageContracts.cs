using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>An image the stack's files reference (<c>slipway/hello:local</c>) and the immutable reference to run instead.</summary>
public sealed record ImagePin(string StackImage, string Reference);

/// <summary>What a stage body gets: the deployment (re-opened after prepare, which may sync D), the run and its log.</summary>
public sealed class PipelineContext
{
    public required Deployment Deployment { get; set; }

    public required RunRecord Run { get; init; }

    /// <summary>D/.slipway/runs/&lt;run-id&gt;/: a stage may keep its own files here.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Runs child commands into the run log (secrets redacted); stage bodies must use it for every child.</summary>
    public required IProcessRunner Runner { get; init; }

    public required ICommandLog Log { get; init; }

    public required IReporter Reporter { get; init; }

    /// <summary>The live line of the stage being run (the latest child output, or a stage's own message).</summary>
    public Action<string> Progress { get; set; } = _ => { };
}

/// <summary>prepare: refuses to go on (throw a SlipwayException) when the deployment's inputs are not fit to deploy.</summary>
public interface IPrepareCheck
{
    Task CheckAsync(PipelineContext context, CancellationToken cancellationToken);
}

/// <summary>prepare of restart: pull the stack and spec repositories and sync D from the spec (GitOps).</summary>
public interface ISourceSync
{
    /// <summary>
    /// Pulls and syncs D; a failure must throw before anything in D changed. <paramref name="serviceImages"/> are the
    /// run's <c>--image SERVICE=IMAGE</c> overrides; the returned pins carry them (and only them) for this run.
    /// </summary>
    Task<SourceSyncResult> SyncAsync(PipelineContext context, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken);
}

/// <summary>What a sync did: image pins for this run and human lines on what changed in D (for the log and output).</summary>
public sealed record SourceSyncResult(IReadOnlyList<ImagePin> Pins, IReadOnlyList<string> Changes);

/// <summary>build and push: images the stack defines, tagged immutably.</summary>
public interface IImageStage
{
    /// <summary>Builds the stack's images; returns one pin per image (stack image → the immutable tag built).</summary>
    Task<IReadOnlyList<ImagePin>> BuildAsync(PipelineContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Pushes <paramref name="built"/> when the spec has an image-registry and returns the pins to apply (the pushed
    /// references); without a registry returns <paramref name="built"/> unchanged.
    /// </summary>
    Task<IReadOnlyList<ImagePin>> PublishAsync(PipelineContext context, IReadOnlyList<ImagePin> built, CancellationToken cancellationToken);
}

/// <summary>verify, after the backend's own health wait: the spec's checks (HTTP/TCP probes).</summary>
public interface IVerifier
{
    Task<VerifyReport> VerifyAsync(PipelineContext context, IDeploymentBackend backend, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>The result of a verify: healthy or not, and one line per check (what was probed, the last error).</summary>
public sealed record VerifyReport(bool Healthy, IReadOnlyList<string> Lines, bool TimedOut = false)
{
    public static VerifyReport Ok(params string[] lines) => new(true, lines);
}

/// <summary>The spec's hooks around apply: <c>pre-deploy</c> before apply, <c>post-deploy</c> after verify.</summary>
public interface IDeployHooks
{
    Task RunAsync(string hook, PipelineContext context, CancellationToken cancellationToken);
}

/// <summary>Rollout settings from the spec (<c>rollout:</c>); the defaults hold when the spec has none.</summary>
public sealed record RolloutPolicy(int HistoryLimit = 10, bool AutoRollback = true)
{
    public static RolloutPolicy Default { get; } = new();
}

/// <summary>The defaults that make the engine whole before the stage bodies of other work are plugged in.</summary>
public sealed class NoPrepareCheck : IPrepareCheck
{
    public static NoPrepareCheck Instance { get; } = new();

    public Task CheckAsync(PipelineContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>No git sync: restart re-applies D as it is; <c>--image</c> overrides become pins of the service's stack image.</summary>
public sealed class NoSourceSync : ISourceSync
{
    public static NoSourceSync Instance { get; } = new();

    public Task<SourceSyncResult> SyncAsync(PipelineContext context, IReadOnlyDictionary<string, string> serviceImages, CancellationToken cancellationToken)
    {
        var images = Backends.Compose.ComposeBackend.ReadServiceImages(context.Deployment.PodComposeFiles);
        var pins = new List<ImagePin>();
        foreach (var (service, image) in serviceImages.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!images.TryGetValue(service, out var stackImage))
            {
                throw new Core.Diagnostics.SlipwayException(Core.Diagnostics.FailureReason.NotFound,
                    $"--image {service}={image}: the deployment has no service '{service}' with an image",
                    images.Count == 0 ? null : "services: " + string.Join(", ", images.Keys.Order(StringComparer.Ordinal)));
            }

            var sharing = images.Where(i => i.Value == stackImage && i.Key != service).Select(i => i.Key).Order(StringComparer.Ordinal).ToList();
            if (sharing.Count > 0)
            {
                context.Reporter.Warn($"--image {service}={image}: {string.Join(", ", sharing)} use{(sharing.Count == 1 ? "s" : "")} the same image {stackImage} and get {image} too");
            }

            pins.Add(new ImagePin(stackImage, image));
        }

        return Task.FromResult(new SourceSyncResult(pins, []));
    }
}

/// <summary>No image work: the stack's images are used as the rendered files name them (built beforehand with build-containers).</summary>
public sealed class NoImageStage : IImageStage
{
    public static NoImageStage Instance { get; } = new();

    public Task<IReadOnlyList<ImagePin>> BuildAsync(PipelineContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ImagePin>>([]);

    public Task<IReadOnlyList<ImagePin>> PublishAsync(PipelineContext context, IReadOnlyList<ImagePin> built, CancellationToken cancellationToken) =>
        Task.FromResult(built);
}

/// <summary>No checks beyond the backend's health wait.</summary>
public sealed class NoExtraVerifier : IVerifier
{
    public static NoExtraVerifier Instance { get; } = new();

    public Task<VerifyReport> VerifyAsync(PipelineContext context, IDeploymentBackend backend, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(new VerifyReport(true, []));
}

public sealed class NoDeployHooks : IDeployHooks
{
    public static NoDeployHooks Instance { get; } = new();

    public Task RunAsync(string hook, PipelineContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
