namespace Slipway.Core.Specs;

public enum DeployTarget
{
    Compose,
    K8s,
    K8sKind,

    /// <summary>A Docker Swarm stack (docker stack deploy) on the manager the docker CLI reaches.</summary>
    Swarm,
}

public static class DeployTargets
{
    public static readonly IReadOnlyList<string> Names = ["compose", "k8s", "k8s-kind", "swarm"];

    public static string ToName(this DeployTarget target) => target switch
    {
        DeployTarget.Compose => "compose",
        DeployTarget.K8s => "k8s",
        DeployTarget.Swarm => "swarm",
        _ => "k8s-kind",
    };

    public static DeployTarget? Parse(string? name) => name switch
    {
        "compose" => DeployTarget.Compose,
        "k8s" => DeployTarget.K8s,
        "k8s-kind" => DeployTarget.K8sKind,
        "swarm" => DeployTarget.Swarm,
        _ => null,
    };

    public static bool IsKubernetes(this DeployTarget target) => target is DeployTarget.K8s or DeployTarget.K8sKind;
}
