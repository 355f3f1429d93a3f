using Slipway.Core.Compose;
using Slipway.Core.Config;
using Slipway.Core.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Deployments;

/// <summary>
/// Why each compose service of D would be (or was) recreated, comparing D now with what was live before (the
/// current revision's files and images): its image, a config key it consumes, a file it binds, its own compose
/// definition, or an override naming it. Reasons name keys and paths, never values (config may hold secrets).
/// </summary>
public static class RecreateReasons
{
    public const string ConfigHashLabel = "io.slipway.config-hash";

    /// <param name="before">D's files as last applied, relative to D with '/' (compose/*.yml, config.env and overrides/*.yml as text; other files by any content token, e.g. a hash).</param>
    /// <param name="after">The same for D now.</param>
    /// <param name="beforeImages">service → image it ran.</param>
    /// <param name="afterImages">service → image it runs next.</param>
    /// <returns>service → its reasons, for every service of <paramref name="after"/> with at least one; ordered by service.</returns>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Explain(
        IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after,
        IReadOnlyDictionary<string, string> beforeImages, IReadOnlyDictionary<string, string> afterImages)
    {
        var oldConfig = Config(before);
        var newConfig = Config(after);
        var changedKeys = oldConfig.Keys.Union(newConfig.Keys)
            .Where(k => !oldConfig.TryGetValue(k, out var a) || !newConfig.TryGetValue(k, out var b) || a != b)
            .ToHashSet(StringComparer.Ordinal);
        var changedFiles = before.Keys.Union(after.Keys)
            .Where(f => !before.TryGetValue(f, out var a) || !after.TryGetValue(f, out var b) || a != b)
            .ToHashSet(StringComparer.Ordinal);
        var oldOverrides = Overrides(before);
        var newOverrides = Overrides(after);
        var oldServices = Services(before);

        var reasons = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (file, service, node) in Services(after).Values)
        {
            var why = new List<string>();
            if (!oldServices.TryGetValue(service.Name, out var old))
            {
                why.Add("new service");
            }
            else
            {
                beforeImages.TryGetValue(service.Name, out var oldImage);
                afterImages.TryGetValue(service.Name, out var newImage);
                oldImage ??= old.Service.Image;
                newImage ??= service.Image;
                if (oldImage != newImage) why.Add($"image {oldImage ?? "-"} -> {newImage ?? "-"}");
                var all = new Dictionary<string, string>(oldConfig, StringComparer.Ordinal);
                foreach (var (k, v) in newConfig) all[k] = v;
                why.AddRange(service.ConsumedKeys(all).Where(changedKeys.Contains).Select(k => $"config key {k}"));
                foreach (var (source, _) in service.ConfigSources)
                {
                    // A source with variables names the file D's config resolves it to, as deploy create copied it.
                    var expanded = Rendering.Compose.ConfigSourcePath.Expand(source, k => newConfig.TryGetValue(k, out var v) ? v : null, out _);
                    var path = expanded is null ? null : Resolve(file, expanded);
                    if (path is not null && changedFiles.Any(f => f == path || f.StartsWith(path + "/", StringComparison.Ordinal))) why.Add($"bound file {path}");
                }

                if (Canonical(old.Node, top: true) != Canonical(node, top: true)) why.Add($"compose change in {file}");
            }

            foreach (var path in oldOverrides.Keys.Union(newOverrides.Keys).Order(StringComparer.Ordinal))
            {
                oldOverrides.TryGetValue(path, out var a);
                newOverrides.TryGetValue(path, out var b);
                if (a?.Text == b?.Text) continue;
                if ((a?.Services.Contains(service.Name) ?? false) || (b?.Services.Contains(service.Name) ?? false)) why.Add($"override {path}");
            }

            if (why.Count > 0) reasons[service.Name] = why.Distinct(StringComparer.Ordinal).ToList();
        }

        return reasons;
    }

    /// <summary>One line: "web (config key GREETING; bound file config/hello/motd.txt)".</summary>
    public static string Describe(string service, IReadOnlyList<string>? reasons) =>
        reasons is null || reasons.Count == 0 ? service : $"{service} ({string.Join("; ", reasons)})";

    private static Dictionary<string, string> Config(IReadOnlyDictionary<string, string> files) =>
        files.TryGetValue("config.env", out var text)
            ? DotEnv.Parse(text).Entries.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    private static Dictionary<string, (string File, ComposeService Service, YamlMappingNode Node)> Services(IReadOnlyDictionary<string, string> files)
    {
        var services = new Dictionary<string, (string, ComposeService, YamlMappingNode)>(StringComparer.Ordinal);
        foreach (var (path, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!path.StartsWith("compose/", StringComparison.Ordinal) || !path.EndsWith(".yml", StringComparison.Ordinal)) continue;
            var compose = ComposeParser.Parse(text, path, new DiagnosticBag(), _ => null);
            if (compose.Root.Children.TryGetValue(new YamlScalarNode("services"), out var node) && node is YamlMappingNode map)
            {
                foreach (var service in compose.Services)
                {
                    if (map.Children.TryGetValue(new YamlScalarNode(service.Name), out var s) && s is YamlMappingNode serviceNode)
                    {
                        services.TryAdd(service.Name, (path, service, serviceNode));
                    }
                }
            }
        }

        return services;
    }

    private sealed record Override(string Text, IReadOnlySet<string> Services);

    private static Dictionary<string, Override> Overrides(IReadOnlyDictionary<string, string> files)
    {
        var overrides = new Dictionary<string, Override>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            if (!path.StartsWith(DeploymentLayout.OverridesFolder + "/", StringComparison.Ordinal)) continue;
            var services = new HashSet<string>(StringComparer.Ordinal);
            if (Yaml.YamlDocuments.Load(text, path, new DiagnosticBag()) is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("services"), out var node) && node is YamlMappingNode map)
            {
                services.UnionWith(map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? ""));
            }

            overrides[path] = new Override(text, services);
        }

        return overrides;
    }

    /// <summary>A bind or env_file source as written in <paramref name="file"/> (relative to its folder) as a path relative to D; null when it leaves D.</summary>
    internal static string? Resolve(string file, string source)
    {
        var parts = new List<string>(file.Split('/')[..^1]);
        foreach (var part in source.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    /// <summary>A service definition as text that ignores key order, its image and the config-hash label (those have their own reasons).</summary>
    private static string Canonical(YamlNode node, bool top = false, bool labels = false) => node switch
    {
        YamlScalarNode scalar => "s:" + scalar.Value,
        YamlSequenceNode sequence => "[" + string.Join(",", sequence.Children
            .Where(c => !(labels && c is YamlScalarNode { Value: { } v } && v.StartsWith(ConfigHashLabel + "=", StringComparison.Ordinal)))
            .Select(c => Canonical(c))) + "]",
        YamlMappingNode mapping => "{" + string.Join(",", mapping.Children
            .Select(c => (Key: (c.Key as YamlScalarNode)?.Value ?? Canonical(c.Key), c.Value))
            .Where(c => !(top && c.Key == "image") && !(labels && c.Key == ConfigHashLabel))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => c.Key + "=" + Canonical(c.Value, labels: top && c.Key == "labels"))) + "}",
        _ => "",
    };
}
