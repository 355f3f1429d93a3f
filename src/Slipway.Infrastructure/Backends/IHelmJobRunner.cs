namespace Slipway.Infrastructure.Backends;

/// <summary>A backend that can run a job from the deployment's Helm chart (run-job --helm-release): Kubernetes.</summary>
public interface IHelmJobRunner
{
    Task<int> RunHelmJobAsync(string job, string release, CancellationToken cancellationToken);
}
