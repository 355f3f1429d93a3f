namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>What the Kubernetes backend needs from outside besides its tools; tests replace the clock, the delay and the environment.</summary>
internal sealed record KubernetesBackendOptions
{
    /// <summary>Where registry-credentials' token-env is read (at run time, never stored).</summary>
    public Func<string, string?> GetEnvironment { get; init; } = _ => null;

    /// <summary>Warnings for the user (missing token, uninspectable kind mounts).</summary>
    public Action<string> Warn { get; init; } = _ => { };

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The global --debug: pod scripts get CERC_SCRIPT_DEBUG=true.</summary>
    public bool ScriptDebug { get; init; }

    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>How long run-job waits for a Job to complete or fail.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long start waits for the Caddy ingress controller of a kind cluster to become ready after installing or patching it.</summary>
    public TimeSpan IngressTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Reads a host file (the Caddy certificate backup); tests stand in for a file this user may not read.</summary>
    public Func<string, CancellationToken, Task<string>> ReadHostFile { get; init; } = File.ReadAllTextAsync;

    /// <summary>restart's DNS probe: how a changed host name is resolved (the system resolver; tests map names to 127.0.0.1).</summary>
    public IHostResolver HostResolver { get; init; } = new SystemHostResolver();

    /// <summary>restart's DNS probe: the HTTP port probed (80; a test's server listens elsewhere).</summary>
    public int ProbePort { get; init; } = 80;

    /// <summary>restart's DNS probe: how long the name may take to answer (laconic-so's 30 s).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long stop waits for the deleted objects (and their pods) to be gone.</summary>
    public TimeSpan DeleteTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
