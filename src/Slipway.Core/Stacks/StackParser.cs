using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Stacks;

/// <summary>Strict parser for stack.yml: every error with file:line:column, all of them at once.</summary>
public static class StackParser
{
    public static readonly IReadOnlyList<string> KnownKeys =
        ["version", "name", "description", "repos", "containers", "npms", "pods", "jobs", "config"];

    private static readonly IReadOnlyList<string> PodKeys =
        ["name", "repository", "path", "pre_start_command", "post_start_command"];

    /// <param name="podsRequired">
    /// False for the verbs that only build or clone (build-containers, setup-repositories, fetch-containers): laconic-so's
    /// build-only stacks (its <c>build-support</c>) have containers and no pods.
    /// </param>
    public static StackDefinition Parse(string text, string file, DiagnosticBag diagnostics, bool podsRequired = true)
    {
        var map = YamlDocuments.LoadMapping(text, file, diagnostics, "stack.yml",
            "stack.yml is empty: it needs at least 'pods'", "stack.yml must be a mapping of keys (version, name, pods, ...)");
        if (map is null)
        {
            return new StackDefinition { FilePath = file };
        }

        map.RejectUnknownKeys(KnownKeys.ToArray());
        var config = ParseConfig(map);
        var name = map.String("name");
        if (name is not null && !Names.IsValidStackName(name))
        {
            diagnostics.Error(DiagnosticCodes.InvalidName, $"stack name '{name}' is not valid: use lowercase letters, digits, '-' and '_', starting with a letter or digit", map.ValueLocation("name"));
        }

        var pods = ParsePods(map);
        if (podsRequired && !map.Has("pods"))
        {
            diagnostics.Error(DiagnosticCodes.MissingKey, "stack.yml has no 'pods': list the compose files (pods) of the stack", map.Location);
        }

        var jobs = new List<string>();
        if (map.Sequence("jobs") is { } jobNodes)
        {
            foreach (var item in jobNodes)
            {
                var job = item is YamlMappingNode jm
                    ? new YamlMap(jm, file, diagnostics, "job").String("name")
                    : map.ScalarText(item, "each job");
                if (job is null) continue;
                if (!Names.IsValidComponentName(job))
                {
                    diagnostics.Error(DiagnosticCodes.InvalidName, $"job name '{job}' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit", item.At(file));
                }

                jobs.Add(job);
            }
        }

        return new StackDefinition
        {
            FilePath = file,
            Version = map.String("version"),
            Name = name,
            Description = map.String("description"),
            Repos = map.StringList("repos").Select(x => x.Value).ToList(),
            Containers = map.StringList("containers").Select(x => x.Value).ToList(),
            Npms = map.StringList("npms").Select(x => x.Value).ToList(),
            Pods = pods,
            Jobs = jobs,
            Config = config,
        };
    }

    /// <summary><c>config: {DEST: {DEST_VAR: "SOURCE.SOURCE_VAR"}}</c>, in file order.</summary>
    private static List<ConfigDirective> ParseConfig(YamlMap map)
    {
        var directives = new List<ConfigDirective>();
        if (map.Map("config", "'config'") is not { } config) return directives;
        foreach (var destination in config.Keys)
        {
            if (config.Map(destination, $"config.{destination}") is not { } variables) continue;
            foreach (var variable in variables.Keys)
            {
                var at = variables.ValueLocation(variable)!;
                var source = variables.String(variable);
                var dot = source?.IndexOf('.') ?? -1;
                if (source is null || dot <= 0 || dot == source.Length - 1)
                {
                    map.Diagnostics.Error(DiagnosticCodes.WrongType, $"config.{destination}.{variable} must be \"SERVICE.VARIABLE\" (where the value comes from), not '{source}'", at);
                    continue;
                }

                directives.Add(new ConfigDirective(destination, variable, source[..dot], source[(dot + 1)..], at));
            }
        }

        return directives;
    }

    private static List<PodReference> ParsePods(YamlMap map)
    {
        var pods = new List<PodReference>();
        var sequence = map.Sequence("pods");
        if (sequence is null) return pods;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in sequence)
        {
            PodReference? pod = null;
            if (item is YamlMappingNode podMapping)
            {
                var podMap = new YamlMap(podMapping, map.File, map.Diagnostics, "pod");
                podMap.RejectUnknownKeys(PodKeys.ToArray());
                var podName = podMap.String("name");
                if (podName is null)
                {
                    map.Diagnostics.Error(DiagnosticCodes.MissingKey, "a pod entry needs a 'name'", item.At(map.File));
                    continue;
                }

                pod = new PodReference(podName, item.At(map.File))
                {
                    Repository = podMap.String("repository"),
                    Path = podMap.String("path"),
                    PreStartCommand = podMap.String("pre_start_command"),
                    PostStartCommand = podMap.String("post_start_command"),
                };
            }
            else if (map.ScalarText(item, "each pod") is { } podName)
            {
                pod = new PodReference(podName, item.At(map.File));
            }

            if (pod is null) continue;
            if (!Names.IsValidComponentName(pod.Name))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"pod name '{pod.Name}' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit", pod.Location);
            }
            else if (!seen.Add(pod.Name))
            {
                map.Diagnostics.Error(DiagnosticCodes.Conflict, $"pod '{pod.Name}' is listed twice", pod.Location);
            }

            pods.Add(pod);
        }

        return pods;
    }
}
