namespace Slipway.IntegrationTests.Kubernetes;

/// <summary>
/// A test that needs a real Kubernetes cluster: it runs when SLIPWAY_TEST_KUBECONFIG names a kubeconfig file and is
/// reported as SKIPPED (never passed) otherwise, because no cluster can run on the development machines.
/// </summary>
public sealed class KubernetesFactAttribute : FactAttribute
{
    public const string Variable = "SLIPWAY_TEST_KUBECONFIG";

    public KubernetesFactAttribute()
    {
        // Only an unset variable skips: one that names a missing file is a mistake, so the test runs and fails on it.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: these end-to-end tests need a real cluster (see README, 'Kubernetes end-to-end tests')";
        }
    }

    public static string Kubeconfig => Environment.GetEnvironmentVariable(Variable) ?? "";
}
