namespace Slipway.Infrastructure.Backends;

public sealed record PublishedPort(string HostIp, int HostPort, int TargetPort, string Protocol)
{
    public override string ToString() => HostPort > 0 ? $"{HostIp}:{HostPort}->{TargetPort}/{Protocol}" : $"{TargetPort}/{Protocol}";
}
