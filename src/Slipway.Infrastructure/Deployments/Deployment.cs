using Slipway.Core.Config;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;

namespace Slipway.Infrastructure.Deployments;

/// <summary>An existing deployment directory, opened for the <c>deployment --dir D</c> commands.</summary>
public sealed class Deployment
{
    private Deployment(DeploymentLayout layout, DeploymentFile identity, DeployTarget target, StackDefinition stack, IReadOnlyList<DotEnvEntry> config)
    {
        Layout = layout;
        Identity = identity;
        Target = target;
        Stack = stack;
        Config = config;
    }

    public DeploymentLayout Layout { get; }

    public DeploymentFile Identity { get; }

    public DeployTarget Target { get; }

    /// <summary>The copy of stack.yml in D: which pods and jobs this deployment has.</summary>
    public StackDefinition Stack { get; }

    public IReadOnlyList<DotEnvEntry> Config { get; }

    /// <summary>Config values are treated as secrets in logs: the spec's config carries generated passwords and env-file values.</summary>
    public IReadOnlyList<string> SecretValues => Config.Select(c => c.Value).Where(v => v.Length >= 8).ToList();

    public IEnumerable<string> PodComposeFiles => Stack.Pods.Select(p => Layout.PodComposeFile(p.Name));

    /// <summary>Host-local compose overrides (DESIGN §1.3), applied after the pod files, in name order.</summary>
    public IEnumerable<string> OverrideFiles =>
        Directory.Exists(Layout.OverridesFolderPath)
            ? Directory.EnumerateFiles(Layout.OverridesFolderPath)
                .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : [];

    public static Deployment Open(string directory)
    {
        var layout = new DeploymentLayout(directory);
        if (File.Exists(layout.Directory))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"{directory} is a file, not a deployment directory");
        }

        if (!Directory.Exists(layout.Directory))
        {
            throw new SlipwayException(FailureReason.NotFound, $"deployment directory {directory} does not exist", "create it with 'slipway deploy create'");
        }

        if (!File.Exists(layout.DeploymentFile))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{directory} is not a deployment directory: it has no deployment.yml");
        }

        var identity = DeploymentFile.Parse(File.ReadAllText(layout.DeploymentFile), layout.DeploymentFile);
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(File.ReadAllText(layout.Spec), layout.Spec, diagnostics);
        var stack = StackParser.Parse(File.ReadAllText(layout.StackFile), layout.StackFile, diagnostics);
        diagnostics.ThrowIfErrors();
        var config = File.Exists(layout.ConfigEnv) ? DotEnv.Parse(File.ReadAllText(layout.ConfigEnv)).Entries : [];
        return new Deployment(layout, identity, spec.DeployTo, stack, config);
    }
}
