namespace Slipway.Core.Kubernetes;

/// <summary>CPU and memory for one side (requests or limits) of a container; values are Kubernetes quantities.</summary>
public sealed record ResourceAmounts(string? Cpu, string? Memory)
{
    public bool IsEmpty => Cpu is null && Memory is null;

    /// <summary>Each field of <paramref name="preferred"/> wins over this one's.</summary>
    public ResourceAmounts Under(ResourceAmounts? preferred) =>
        preferred is null ? this : new ResourceAmounts(preferred.Cpu ?? Cpu, preferred.Memory ?? Memory);
}

public sealed record ContainerResources(ResourceAmounts Requests, ResourceAmounts Limits)
{
    public static readonly ContainerResources None = new(new ResourceAmounts(null, null), new ResourceAmounts(null, null));

    public ContainerResources Under(ContainerResources? preferred) =>
        preferred is null ? this : new ContainerResources(Requests.Under(preferred.Requests), Limits.Under(preferred.Limits));
}
