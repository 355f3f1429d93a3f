namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>What the Kubernetes backend needs from outside besides its tools; tests replace the clock, the delay and the environment.</summary>
internal sealed record KubernetesBackendOptions
{
    /// <summary>Where registry-credentials' token-env is read (at run time, never stored).</summary>
    public Func<string, string?> GetEnvironment { get; init; } = _ => null;

    /// <summary>Warnings for the user (missing token, uninspectable kind mounts).</summary>
    public Action<string> Warn { get; init; } = _ => { };

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>How long run-job waits for a Job to complete or fail.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long start waits for the Caddy ingress controller of a kind cluster to become ready after installing or patching it.</summary>
    public TimeSpan IngressTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Reads a host file (the Caddy certificate backup); tests stand in for a file this user may not read.</summary>
    public Func<string, CancellationToken, Task<string>> ReadHostFile { get; init; } = File.ReadAllTextAsync;

    /// <summary>How long stop waits for the deleted objects (and their pods) to be gone.</summary>
    public TimeSpan DeleteTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
