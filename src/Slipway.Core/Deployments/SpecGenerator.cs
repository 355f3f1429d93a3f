using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Verification;
using Slipway.Core.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Deployments;

/// <summary>What <c>deploy init</c> was asked for.</summary>
public sealed record InitOptions
{
    /// <summary>The <c>stack:</c> value to write: the stack path relative to the spec's folder, or a shipped stack's name.</summary>
    public required string StackReference { get; init; }

    public DeployTarget DeployTo { get; init; } = DeployTarget.Compose;

    /// <summary>Config from <c>--config</c>, in order (later wins); written into the spec.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Config { get; init; } = [];

    /// <summary>
    /// <c>env-files</c> to write (<c>--config-file</c>, relative to the spec's folder): its values are secrets and stay
    /// in that host-local file; the spec, which goes to git, only names it.
    /// </summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    public PortMappingMode PortMode { get; init; } = PortMappingMode.AnyVariableRandom;

    public string? KubeConfig { get; init; }

    public string? ImageRegistry { get; init; }

    /// <summary>Spec keys merged last, over the generated defaults and the init hook's (deploy-webapp create's URL and image).</summary>
    public YamlMappingNode? Overlay { get; init; }
}

/// <summary>
/// Writes a new spec from a stack: laconic-so's init rules (ports per service, volume defaults per target),
/// with the init hook's YAML merged in. Pure: the hook's output is passed in.
/// </summary>
public static partial class SpecGenerator
{
    public static string Generate(StackBundle bundle, InitOptions options, YamlMappingNode? hookSpec, Random random)
    {
        var spec = new YamlMappingNode
        {
            { "stack", Text(options.StackReference) },
            { "deploy-to", options.DeployTo.ToName() },
        };
        if (options.KubeConfig is not null) spec.Add("kube-config", Text(options.KubeConfig));
        if (options.ImageRegistry is not null) spec.Add("image-registry", Text(options.ImageRegistry));

        // Hook config gives defaults; what the operator typed wins (laconic-so lets the hook win, which surprises).
        var config = new YamlMappingNode();
        if (hookSpec?.Children.TryGetValue(new YamlScalarNode("config"), out var hookConfig) == true && hookConfig is YamlMappingNode hookConfigMap)
        {
            foreach (var (k, v) in hookConfigMap.Children) config.Children[k] = v;
        }

        foreach (var (key, value) in options.Config)
        {
            config.Children[new YamlScalarNode(key)] = Text(value);
        }

        if (config.Children.Count > 0) spec.Add("config", config);
        if (options.EnvFiles.Count > 0) spec.Add("env-files", new YamlSequenceNode(options.EnvFiles.Select(f => (YamlNode)Text(f))));

        var ports = new YamlMappingNode();
        var used = new HashSet<int>();
        foreach (var service in bundle.PodServices)
        {
            if (service.Ports.Count == 0) continue;
            var list = new YamlSequenceNode();
            for (var i = 0; i < service.Ports.Count; i++)
            {
                list.Add(Text(options.PortMode == PortMappingMode.AnyVariableRandom
                    ? service.PortTexts[i]
                    : PortMapping.Apply(service.Ports[i], options.PortMode, random, used)));
            }

            ports.Add(service.Name, list);
        }

        if (ports.Children.Count > 0) spec.Add("network", new YamlMappingNode { { "ports", ports } });

        AddVolumeDefaults(spec, bundle, options.DeployTo);
        if (hookSpec is not null) MergeHook(spec, hookSpec);
        if (options.Overlay is not null) MergeHook(spec, options.Overlay);

        // YamlDotNet writes an empty value as "key: "; the trailing blank would be committed with the spec.
        var text = NullValueTrailingBlank().Replace(YamlDocuments.Save(spec), "$1:");
        var set = config.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return text + StackVariablesComment(bundle, set);
    }

    /// <summary>
    /// The config keys the stack's compose files use and the spec does not set, as commented entries with their default
    /// and whether they are required: what start would otherwise be the first to ask for.
    /// </summary>
    internal static string StackVariablesComment(StackBundle bundle, IReadOnlySet<string> set)
    {
        var variables = new SortedDictionary<string, (bool Required, string? Default, string Where)>(StringComparer.Ordinal);
        foreach (var file in bundle.All)
        {
            var required = RequiredVariables.Find(file.Compose).ToDictionary(v => v.Name, StringComparer.Ordinal);
            foreach (var scalar in YamlDocuments.Scalars(file.Compose.Root).Where(x => x.Value?.Contains('$') == true))
            {
                foreach (var name in Interpolation.ReferencedVariables(scalar.Value!).Where(n => !set.Contains(n) && !HostVariables.Contains(n)))
                {
                    var isRequired = required.ContainsKey(name);
                    var fallback = DefaultOf(scalar.Value!, name);
                    var where = $"{System.IO.Path.GetFileName(file.Compose.Path)}:{scalar.Start.Line}";
                    if (!variables.TryGetValue(name, out var known))
                    {
                        variables[name] = (isRequired, fallback, where);
                    }
                    else if (isRequired && !known.Required)
                    {
                        variables[name] = known with { Required = true };
                    }
                }
            }
        }

        if (variables.Count == 0) return "";
        var lines = new System.Text.StringBuilder();
        lines.Append("# Config keys the stack's compose files use that this spec does not set (add them under config:)\n");
        foreach (var (name, v) in variables)
        {
            var what = v.Required ? "required" : v.Default is null ? "optional, empty when unset" : $"optional, default '{v.Default}'";
            lines.Append($"#   {name}: \"{(v.Required ? "" : v.Default)}\"  # {what} ({v.Where})\n");
        }

        return lines.ToString();
    }

    private static string? DefaultOf(string text, string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"\$\{" + System.Text.RegularExpressions.Regex.Escape(name) + @":?-([^}]*)\}");
        return match.Success ? match.Groups[1].Value : null;
    }

    private static void AddVolumeDefaults(YamlMappingNode spec, StackBundle bundle, DeployTarget target)
    {
        // Every declared volume some service mounts; read-only only when every use is read-only
        // (laconic-so can put a volume used both ways into both classes).
        var uses = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var pod in bundle.Pods)
        {
            foreach (var mount in pod.Compose.Services.SelectMany(s => s.Mounts).Where(m => m.Kind == MountKind.Volume))
            {
                uses[mount.Source!] = uses.TryGetValue(mount.Source!, out var readOnly) ? readOnly && mount.ReadOnly : mount.ReadOnly;
            }
        }

        var ordered = bundle.Pods.SelectMany(p => p.Compose.Volumes).Distinct().Where(uses.ContainsKey).ToList();
        if (ordered.Count == 0 && !target.IsKubernetes()) return;

        var volumes = new YamlMappingNode();
        var configmaps = new YamlMappingNode();
        foreach (var volume in ordered)
        {
            if (!target.IsKubernetes())
            {
                volumes.Add(volume, Text($"./data/{volume}"));
            }
            else if (uses[volume] && volume.Contains("config", StringComparison.Ordinal))
            {
                configmaps.Add(volume, Text($"./configmaps/{volume}"));
            }
            else
            {
                volumes.Add(volume, new YamlScalarNode(null));
            }
        }

        if (volumes.Children.Count > 0) spec.Add("volumes", volumes);
        if (configmaps.Children.Count > 0) spec.Add("configmaps", configmaps);
        if (target.IsKubernetes()) spec.Add("secrets", new YamlMappingNode());
    }

    private static void MergeHook(YamlMappingNode spec, YamlMappingNode hook)
    {
        foreach (var (key, value) in hook.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name == "config") continue;
            if (spec.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode existingMap && value is YamlMappingNode hookMap)
            {
                // volumes, network...: the hook's entries win over generated defaults.
                foreach (var (k, v) in hookMap.Children) existingMap.Children[k] = v;
            }
            else
            {
                spec.Children[key] = value;
            }
        }
    }

    private static YamlScalarNode Text(string value) => new(value) { Style = NeedsQuotes(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain };

    /// <summary>Quote anything a YAML reader could take for a number, bool, null or structure.</summary>
    internal static bool NeedsQuotes(string value) =>
        value.Length == 0
        || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
        || char.IsAsciiDigit(value[0]) || value[0] is '-' or '.'
        || value.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~";

    public static YamlMappingNode? ParseHookOutput(string text, string hookPath, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var node = YamlDocuments.Load(text, hookPath + " (output)", diagnostics);
        if (node is YamlMappingNode mapping) return mapping;
        diagnostics.Error(DiagnosticCodes.WrongType, "the init hook must print a YAML mapping of spec keys (or nothing)", new SourceLocation(hookPath + " (output)", 1, 1));
        return null;
    }

    /// <summary>
    /// What a commands.py init() returned, as JSON (which is YAML): parsed as hooks/init's output is, each string that
    /// needs no quotes made plain again, so the spec reads as one hooks/init would have printed.
    /// </summary>
    public static YamlMappingNode? ParseHookResult(string json, string hookPath, DiagnosticBag diagnostics)
    {
        var mapping = ParseHookOutput(json, hookPath, diagnostics);
        if (mapping is not null) Unquote(mapping);
        return mapping;
    }

    private static void Unquote(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode { Style: ScalarStyle.DoubleQuoted, Value: { } value } scalar when !NeedsQuotes(value):
                scalar.Style = ScalarStyle.Plain;
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    Unquote(key);
                    Unquote(value);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children) Unquote(item);
                break;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?m)^(\s*[^\s""'#][^:""'\n]*): $")]
    private static partial System.Text.RegularExpressions.Regex NullValueTrailingBlank();
}
