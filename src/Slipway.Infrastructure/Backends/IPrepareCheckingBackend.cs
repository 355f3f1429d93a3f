namespace Slipway.Infrastructure.Backends;

/// <summary>A backend with its own checks for the prepare stage, said before anything is built or applied: Kubernetes.</summary>
public interface IPrepareCheckingBackend
{
    /// <summary>Warnings about the target (e.g. Secrets the spec references that do not exist yet); never changes anything.</summary>
    Task<IReadOnlyList<string>> PrepareWarningsAsync(CancellationToken cancellationToken);
}
