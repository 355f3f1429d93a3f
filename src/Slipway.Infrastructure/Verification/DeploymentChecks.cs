using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Verification;
using Slipway.Core.Yaml;
using Slipway.Infrastructure.Deployments;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Verification;

/// <summary>
/// The inputs the prepare and verify stages need from a deployment directory: the spec copy (verify, rollout, hooks)
/// and the prepare problems of its config.env against its pod compose files.
/// </summary>
public static class DeploymentChecks
{
    /// <summary>
    /// The prepare stage's checks of D: placeholders in config.env, keys the pod compose files require that are missing
    /// or empty, and verify checks naming services the deployment does not have. Errors only; empty means ready.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Prepare(Deployment deployment, Spec spec)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(spec);
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

        var required = new List<RequiredVariable>();
        var services = new List<string>();
        var diagnostics = new DiagnosticBag();
        foreach (var file in deployment.PodComposeFiles.Concat(deployment.OverrideFiles).Where(File.Exists))
        {
            if (YamlDocuments.Load(File.ReadAllText(file), file, diagnostics) is not YamlMappingNode root) continue;
            required.AddRange(RequiredVariables.Find(root, file));
            if (root.Children.TryGetValue(new YamlScalarNode("services"), out var node) && node is YamlMappingNode serviceMap)
            {
                services.AddRange(serviceMap.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(k => k is not null));
            }
        }

        diagnostics.ThrowIfErrors();
        var problems = PrepareChecks.Check(config, required).ToList();
        problems.AddRange(PrepareChecks.CheckVerifyServices(spec.Verify, services.Distinct().ToList()));
        return problems;
    }

    /// <summary>Throws every problem at once as <see cref="InvalidInputException"/> (exit code for invalid input).</summary>
    public static void ThrowIfAny(IReadOnlyList<Diagnostic> problems)
    {
        var bag = new DiagnosticBag();
        bag.AddRange(problems);
        bag.ThrowIfErrors();
    }

}
