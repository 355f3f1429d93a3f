namespace Slipway.Infrastructure.Backends;

/// <summary>
/// A backend whose containers this host can reach at their own addresses (compose on a local engine). A TCP check asks
/// the container itself as well: docker's port proxy accepts every connection on a published port and hangs up only
/// once it finds nothing behind it, which a loaded machine can delay past any waiting window.
/// </summary>
public interface IContainerAddresses
{
    /// <summary>The addresses of the service's running containers on their networks (empty when not known).</summary>
    Task<IReadOnlyList<string>> ContainerAddressesAsync(string service, CancellationToken cancellationToken);
}
