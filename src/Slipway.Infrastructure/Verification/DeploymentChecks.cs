using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Infrastructure.Verification;

/// <summary>The prepare stage's checks of an opened deployment: its config.env against what its compose files require.</summary>
internal static class DeploymentChecks
{
    /// <summary>
    /// Placeholders in config.env, keys the pod compose files (and overrides) require that are missing or empty, and
    /// verify checks naming services the deployment does not have; on compose, a start-first rollout that cannot be done
    /// (errors) and services kept stop-first (warnings).
    /// </summary>
    public static IReadOnlyList<Diagnostic> Prepare(DeploymentSession deployment)
    {
        var spec = deployment.Spec;
        var literals = spec.Config.ToDictionary(c => c.Key, c => c, StringComparer.Ordinal);
        var config = deployment.Config.Select(e =>
            {
                // A value the spec wrote literally is best pointed at in the spec; anything else came from env-files.
                var origin = literals.TryGetValue(e.Key, out var literal) && literal.Value == e.Value
                    ? new SourceLocation(deployment.Layout.Spec, literal.Location.Line, literal.Location.Column)
                    : new SourceLocation(deployment.Layout.ConfigEnv, e.Line, 1);
                return new ConfigEntry(e.Key, e.Value, origin);
            })
            .ToList();

        var files = deployment.PodFiles.Concat(deployment.Overrides).ToList();
        var required = files.SelectMany(RequiredVariables.Find).ToList();
        var services = files.SelectMany(f => f.Services).Select(s => s.Name).Distinct().ToList();
        var problems = PrepareChecks.Check(config, required).ToList();
        problems.AddRange(PrepareChecks.CheckVerifyServices(spec.Verify, services));

        // On one Docker host Slipway itself runs start-first, so it refuses what cannot run twice and says what stays stop-first.
        if (spec.DeployTo == DeployTarget.Compose)
        {
            problems.AddRange(RolloutPlan.For([.. files.SelectMany(f => f.Services)], spec.Rollout).Problems);
        }

        return problems;
    }
}
