namespace Slipway.Core.Specs;

public enum DeployTarget
{
    Compose,
    K8s,
    K8sKind,
}

public static class DeployTargets
{
    public static readonly IReadOnlyList<string> Names = ["compose", "k8s", "k8s-kind"];

    public static string ToName(this DeployTarget target) => target switch
    {
        DeployTarget.Compose => "compose",
        DeployTarget.K8s => "k8s",
        _ => "k8s-kind",
    };

    public static DeployTarget? Parse(string? name) => name switch
    {
        "compose" => DeployTarget.Compose,
        "k8s" => DeployTarget.K8s,
        "k8s-kind" => DeployTarget.K8sKind,
        _ => null,
    };

    public static bool IsKubernetes(this DeployTarget target) => target != DeployTarget.Compose;
}
