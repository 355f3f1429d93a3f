namespace Slipway.Infrastructure.Backends;

public sealed record ApplyOptions
{
    /// <summary>Recreate every container even when its configuration did not change.</summary>
    public bool ForceRecreate { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Wait for health inside the apply (compose up --wait, k8s rollout status). The pipeline turns it off and waits in
    /// its own verify stage, so that apply and verify are separate, resumable stages; every backend honours it.
    /// </summary>
    public bool Wait { get; init; } = true;

    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Image references to replace in what is applied, keyed as <see cref="IDeploymentBackend.PinKeys"/> says.</summary>
    public IReadOnlyDictionary<string, string> ImagePins { get; init; } = new Dictionary<string, string>();

    /// <summary>k8s-kind: create the kind cluster when it does not run yet.</summary>
    public bool PerformClusterManagement { get; init; }

    public Action<string>? Progress { get; init; }
}
