using System.Text;
using System.Text.Json.Nodes;
using Slipway.Core.Compose;
using Slipway.Core.Config;
using Slipway.Core.Diagnostics;
using Slipway.Core.Files;
using Slipway.Core.Stacks;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>A container's <c>env</c>: env_file entries, the compose environment, the config keys the service interpolates, and listed spec secret keys.</summary>
internal static class ContainerEnvironment
{
    /// <summary>
    /// Compose environment (map or list form) with ${} expanded; a value that is exactly one config variable comes
    /// from the config Secret. Config keys the service interpolates elsewhere are passed too. Literal values have
    /// Kubernetes' own $(VAR) syntax escaped. env_file entries go into the pod's config hash here; config keys are
    /// hashed by the pod template, from what the service consumes.
    /// </summary>
    public static JsonArray Entries(RenderContext context, StackComposeFile file, ComposeService service, ConfigHash hash)
    {
        var config = context.Config;
        var entries = new List<(string Key, JsonNode Value)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Literal(string key, string value) => entries.Add((key, new JsonObject { ["name"] = key, ["value"] = EscapeKube(value) }));
        void FromConfig(string key, string configKey) =>
            entries.Add((key, new JsonObject
            {
                ["name"] = key,
                ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = KubernetesRenderer.ConfigSecretName(context.Id), ["key"] = configKey } },
            }));

        var composeDir = Path.GetDirectoryName(file.SourcePath)!;
        foreach (var envFile in service.EnvFiles)
        {
            var path = Path.GetFullPath(Path.Combine(composeDir, context.Interpolate(envFile)));
            var entry = context.Inputs.HostFiles.Stat(path);
            if (entry.Kind != HostPathKind.File)
            {
                context.Diagnostics.Error(DiagnosticCodes.NotFound, $"service '{service.Name}': env_file {path} does not exist", service.Location);
                continue;
            }

            var parsed = DotEnv.Parse(Encoding.UTF8.GetString(entry.File!.Read()), context.Lookup);
            foreach (var e in parsed.Entries)
            {
                hash.EnvFile(e.Key, e.Value);
                entries.RemoveAll(x => x.Key == e.Key);
                Literal(e.Key, e.Value);
            }
        }

        foreach (var (key, raw) in service.Environment)
        {
            entries.RemoveAll(x => x.Key == key);
            if (raw is null)
            {
                // Compose would copy it from the shell environment; on Kubernetes only config can supply it.
                if (config.ContainsKey(key)) FromConfig(key, key);
                else context.Diagnostics.Warning(DiagnosticCodes.UnknownReference, $"service '{service.Name}': environment '{key}' has no value and is not in the spec's config; it is left out on Kubernetes", service.Location);
                continue;
            }

            var result = Interpolation.Apply(raw, context.Lookup);
            if (result.Variables.Count == 1 && config.ContainsKey(result.Variables[0]) && IsWholeReference(raw, result.Variables[0]))
            {
                FromConfig(key, result.Variables[0]);
            }
            else
            {
                Literal(key, result.Value);
            }
        }

        foreach (var key in entries.Select(e => e.Key).ToList()) seen.Add(key);
        foreach (var variable in service.Variables.Where(v => config.ContainsKey(v) && !seen.Contains(v)).Order(StringComparer.Ordinal))
        {
            FromConfig(variable, variable);
        }

        foreach (var secret in context.Spec.Kubernetes.Secrets.Where(s => s.Keys.Count > 0))
        {
            foreach (var key in secret.Keys)
            {
                entries.RemoveAll(x => x.Key == key);
                entries.Add((key, new JsonObject
                {
                    ["name"] = key,
                    // Optional, as laconic-so's envFrom: a Secret not created yet must not keep every pod in CreateContainerConfigError.
                    ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = secret.Name, ["key"] = key, ["optional"] = true } },
                }));
            }
        }

        return new JsonArray(entries.Select(e => e.Value).ToArray());
    }

    /// <summary>Kubernetes expands $(VAR) in env values, command and args; $$( keeps it literal.</summary>
    public static string EscapeKube(string value) => value.Replace("$(", "$$(", StringComparison.Ordinal);

    private static bool IsWholeReference(string raw, string variable) =>
        raw == "$" + variable || raw == "${" + variable + "}" ||
        (raw.StartsWith("${" + variable + ":-", StringComparison.Ordinal) && raw.EndsWith('}') && raw.IndexOf('}') == raw.Length - 1) ||
        (raw.StartsWith("${" + variable + "-", StringComparison.Ordinal) && raw.EndsWith('}') && raw.IndexOf('}') == raw.Length - 1);
}
