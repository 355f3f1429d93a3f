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
        var envFiles = EnvFileEntries(deployment);
        var config = deployment.Config.Select(e =>
            {
                // Point at the file the operator edits: the spec for a literal value, else the env file that set it
                // (the last one wins, as in D/config.env); D/config.env itself only when neither says so.
                var origin = literals.TryGetValue(e.Key, out var literal) && literal.Value == e.Value
                    ? new SourceLocation(deployment.Layout.Spec, literal.Location.Line, literal.Location.Column)
                    : envFiles.TryGetValue(e.Key, out var set) && set.Value == e.Value
                        ? set.Location
                        : new SourceLocation(deployment.Layout.ConfigEnv, e.Line, 1);
                return new ConfigEntry(e.Key, e.Value, origin);
            })
            .ToList();

        var files = deployment.PodFiles.Concat(deployment.Overrides).ToList();
        // Slipway exports the host variables to every compose call itself; elsewhere only CERC_SCRIPT_DEBUG, blank unless --debug, is not asked for.
        var required = files.SelectMany(RequiredVariables.Find)
            .Where(v => !(v.Name == "CERC_SCRIPT_DEBUG" || (spec.DeployTo == DeployTarget.Compose && Slipway.Core.Compose.HostVariables.Contains(v.Name))))
            .ToList();
        var services = files.SelectMany(f => f.Services).Select(s => s.Name).Distinct().ToList();
        var problems = PrepareChecks.Check(config, required).ToList();
        problems.AddRange(PrepareChecks.CheckVerifyServices(spec.Verify, services));

        // On one Docker host Slipway itself runs start-first, so it refuses what cannot run twice and says what stays stop-first.
        if (spec.DeployTo == DeployTarget.Compose)
        {
            problems.AddRange(RolloutPlan.For([.. files.SelectMany(f => f.Services)], spec.Rollout).Problems);
        }

        return [.. problems.Select(p => AtTrackedSpec(p, deployment))];
    }

    /// <summary>
    /// A finding located in D's copy of the spec, moved to the git-tracked spec (spec-source) when the copy is the same
    /// text, so the line named is in the file the operator edits ("Do not edit" D).
    /// </summary>
    internal static Diagnostic AtTrackedSpec(Diagnostic diagnostic, DeploymentSession deployment)
    {
        if (diagnostic.Location is not { } at || at.File != deployment.Layout.Spec || TrackedSpec(deployment) is not { } tracked) return diagnostic;
        return diagnostic with { Location = at with { File = tracked } };
    }

    private static string? TrackedSpec(DeploymentSession deployment)
    {
        try
        {
            return deployment.Identity.SpecSource is { } source && File.Exists(source) && File.Exists(deployment.Layout.Spec)
                && File.ReadAllBytes(source).AsSpan().SequenceEqual(File.ReadAllBytes(deployment.Layout.Spec)) ? source : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>key → its value and where it is set, over the spec's credentials-files and env-files in order (later wins).</summary>
    private static Dictionary<string, (string Value, SourceLocation Location)> EnvFileEntries(DeploymentSession deployment)
    {
        var entries = new Dictionary<string, (string, SourceLocation)>(StringComparer.Ordinal);
        foreach (var file in deployment.Spec.CredentialsFiles.Concat(deployment.Spec.EnvFiles))
        {
            var path = Path.GetFullPath(Path.Combine(deployment.SpecDirectory, Core.Stacks.StackResolver.ExpandHome(file.Value)));
            try
            {
                if (!File.Exists(path)) continue;
                foreach (var entry in Core.Config.DotEnv.Parse(File.ReadAllText(path)).Entries) entries[entry.Key] = (entry.Value, new SourceLocation(path, entry.Line, 1));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable now: the finding points at D/config.env instead.
            }
        }

        return entries;
    }
}
