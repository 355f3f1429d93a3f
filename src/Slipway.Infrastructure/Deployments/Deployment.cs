using Slipway.Core.Config;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Deployments;

/// <summary>An existing deployment directory, opened for the <c>deployment --dir D</c> commands.</summary>
public sealed class Deployment
{
    private Deployment(DeploymentLayout layout, DeploymentFile identity, Spec spec, StackDefinition stack, IReadOnlyList<DotEnvEntry> config)
    {
        Layout = layout;
        Identity = identity;
        Spec = spec;
        Stack = stack;
        Config = config;
    }

    public DeploymentLayout Layout { get; }

    public DeploymentFile Identity { get; }

    /// <summary>D/spec.yml: the copy of the spec the deployment was last created or synced from.</summary>
    public Spec Spec { get; }

    public DeployTarget Target => Spec.DeployTo;

    /// <summary>The copy of stack.yml in D: which pods and jobs this deployment has.</summary>
    public StackDefinition Stack { get; }

    public IReadOnlyList<DotEnvEntry> Config { get; }

    /// <summary>
    /// Values that must never reach a log: generated secrets (<c>$generate:...$</c> in the spec) and everything that came
    /// from env-files or credentials-files (keys of config.env the spec's config does not set to a literal).
    /// </summary>
    public IReadOnlyList<string> SecretValues { get; private init; } = [];

    public IEnumerable<string> PodComposeFiles => Stack.Pods.Select(p => Layout.PodComposeFile(p.Name));

    /// <summary>Host-local compose overrides (DESIGN §1.3), applied after the pod files, in name order.</summary>
    public IEnumerable<string> OverrideFiles =>
        Directory.Exists(Layout.OverridesFolderPath)
            ? Directory.EnumerateFiles(Layout.OverridesFolderPath)
                .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : [];

    /// <summary>Host directories behind the bind-backed volumes of the rendered pod files (their data outlives --delete-volumes).</summary>
    public IReadOnlyList<string> HostPathVolumes()
    {
        var paths = new List<string>();
        foreach (var file in PodComposeFiles.Where(File.Exists))
        {
            var root = YamlDocuments.Load(File.ReadAllText(file), file, new DiagnosticBag()) as YamlMappingNode;
            if (root?.Children.TryGetValue(new YamlScalarNode("volumes"), out var node) != true || node is not YamlMappingNode volumes) continue;
            foreach (var (_, definition) in volumes.Children)
            {
                if (definition is YamlMappingNode v
                    && v.Children.TryGetValue(new YamlScalarNode("driver_opts"), out var opts) && opts is YamlMappingNode options
                    && options.Children.TryGetValue(new YamlScalarNode("device"), out var device) && device is YamlScalarNode { Value: { } path })
                {
                    paths.Add(path);
                }
            }
        }

        return paths.Distinct().ToList();
    }

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

        if (!File.Exists(layout.Spec))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{layout.Spec} does not exist", "re-create the deployment with 'slipway deploy create --update'");
        }

        var identity = DeploymentFile.Parse(File.ReadAllText(layout.DeploymentFile), layout.DeploymentFile);
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(File.ReadAllText(layout.Spec), layout.Spec, diagnostics);
        var stack = StackParser.Parse(File.ReadAllText(layout.StackFile), layout.StackFile, diagnostics);
        diagnostics.ThrowIfErrors();
        var config = File.Exists(layout.ConfigEnv) ? DotEnv.Parse(File.ReadAllText(layout.ConfigEnv)).Entries : [];
        var literals = spec.Config.Where(c => !GeneratedSecret.ContainsToken(c.Value)).ToDictionary(c => c.Key, c => c.Value);
        var secrets = config
            .Where(c => !literals.TryGetValue(c.Key, out var literal) || literal != c.Value)
            .Select(c => c.Value)
            .Where(v => v.Length > 0)
            .ToList();
        return new Deployment(layout, identity, spec, stack, config) { SecretValues = secrets };
    }
}
