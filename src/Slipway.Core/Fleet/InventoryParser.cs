using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;

namespace Slipway.Core.Fleet;

/// <summary>Strict parser for the fleet inventory: unknown keys, wrong shapes, unknown host names and bad paths with file:line:column.</summary>
public static class InventoryParser
{
    public static readonly IReadOnlyList<string> TopKeys = ["repo", "slipway", "hosts", "deployments"];

    public static readonly IReadOnlyList<string> HostKeys = ["ssh", "labels", "vars", "repo", "slipway", "env-files"];

    public static readonly IReadOnlyList<string> DeploymentKeys = ["spec", "dir", "hosts", "labels", "env-files"];

    public static Inventory Parse(string text, string file, DiagnosticBag diagnostics)
    {
        var map = YamlDocuments.LoadMapping(text, file, diagnostics, "the fleet inventory",
            "the fleet inventory is empty: it needs 'hosts' and 'deployments'", "the fleet inventory must be a mapping (repo, hosts, deployments)");
        if (map is null) return new Inventory { FilePath = file };
        map.RejectUnknownKeys(TopKeys.ToArray());
        var repo = AbsolutePath(map, "repo") ?? "";
        var slipway = map.String("slipway") ?? "slipway";

        var hosts = new List<FleetHost>();
        if (map.Map("hosts", "'hosts'") is { } hostsMap)
        {
            foreach (var name in hostsMap.Keys)
            {
                var location = hostsMap.KeyLocation(name);
                CheckName(diagnostics, name, "host", location);
                var node = hostsMap.Get(name)!;
                var host = YamlMap.IsNullNode(node) ? null : hostsMap.Map(name, $"host '{name}'");
                host?.RejectUnknownKeys(HostKeys.ToArray());
                var hostRepo = host is null ? null : AbsolutePath(host, "repo");
                if ((hostRepo ?? repo).Length == 0)
                {
                    diagnostics.Error(DiagnosticCodes.MissingKey, $"host '{name}' has no 'repo' (and the inventory sets none): where is its clone of the operator repository?", location);
                }

                hosts.Add(new FleetHost
                {
                    Name = name,
                    Ssh = host?.String("ssh") ?? name,
                    Labels = host?.StringList("labels").Select(l => l.Value).ToList() ?? [],
                    Vars = host is null ? new Dictionary<string, string>() : Vars(host),
                    Repo = hostRepo ?? repo,
                    Slipway = host?.String("slipway") ?? slipway,
                    EnvFiles = host is null ? [] : AbsolutePaths(host, "env-files"),
                    Location = location,
                });
            }
        }
        else if (!map.Has("hosts"))
        {
            diagnostics.Error(DiagnosticCodes.MissingKey, "the fleet inventory has no 'hosts'", map.Location);
        }

        var deployments = new List<FleetDeployment>();
        if (map.Map("deployments", "'deployments'") is { } deploymentsMap)
        {
            foreach (var name in deploymentsMap.Keys)
            {
                var location = deploymentsMap.KeyLocation(name);
                CheckName(diagnostics, name, "deployment", location);
                var d = deploymentsMap.Map(name, $"deployment '{name}'");
                if (d is null)
                {
                    diagnostics.Error(DiagnosticCodes.MissingKey, $"deployment '{name}' needs 'spec' and 'dir'", location);
                    continue;
                }

                d.RejectUnknownKeys(DeploymentKeys.ToArray());
                var spec = d.String("spec");
                if (spec is null)
                {
                    diagnostics.Error(DiagnosticCodes.MissingKey, $"deployment '{name}' has no 'spec' (the spec file, relative to the repository)", location);
                }
                else if (spec.StartsWith('/') || spec.Split('/').Contains(".."))
                {
                    diagnostics.Error(DiagnosticCodes.PathEscapes, $"'spec' of deployment '{name}' must be a path inside the repository, not '{spec}'", d.ValueLocation("spec"));
                }

                var dir = AbsolutePath(d, "dir");
                if (dir is null && !d.Has("dir"))
                {
                    diagnostics.Error(DiagnosticCodes.MissingKey, $"deployment '{name}' has no 'dir' (the deployment directory on the hosts)", location);
                }

                var onHosts = d.StringList("hosts", allowSingle: true);
                foreach (var (host, at) in onHosts.Where(h => hosts.All(x => x.Name != h.Value)))
                {
                    diagnostics.Error(DiagnosticCodes.UnknownReference, $"deployment '{name}' names host '{host}', which the inventory does not list", at,
                        DidYouMean.Hint(host, hosts.Select(h => h.Name).ToList()));
                }

                var labels = d.StringList("labels", allowSingle: true);
                foreach (var (label, at) in labels.Where(l => hosts.All(h => !h.Labels.Contains(l.Value))))
                {
                    diagnostics.Warning(DiagnosticCodes.UnknownReference, $"deployment '{name}': no host has label '{label}'", at);
                }

                if (onHosts.Count == 0 && labels.Count == 0)
                {
                    diagnostics.Error(DiagnosticCodes.MissingKey, $"deployment '{name}' runs nowhere: give it 'hosts' or 'labels'", location);
                }

                deployments.Add(new FleetDeployment
                {
                    Name = name,
                    Spec = spec ?? "",
                    Dir = dir ?? "",
                    Hosts = onHosts.Select(h => h.Value).ToList(),
                    Labels = labels.Select(l => l.Value).ToList(),
                    EnvFiles = AbsolutePaths(d, "env-files"),
                    Location = location,
                });
            }
        }
        else if (!map.Has("deployments"))
        {
            diagnostics.Error(DiagnosticCodes.MissingKey, "the fleet inventory has no 'deployments'", map.Location);
        }

        return new Inventory { FilePath = file, Hosts = hosts, Deployments = deployments };
    }

    private static void CheckName(DiagnosticBag diagnostics, string name, string what, SourceLocation? location)
    {
        if (!Names.IsValidComponentName(name))
        {
            diagnostics.Error(DiagnosticCodes.InvalidName, $"{what} name '{name}' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit", location);
        }
    }

    private static Dictionary<string, string> Vars(YamlMap host)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        if (host.Map("vars", "'vars'") is not { } map) return vars;
        foreach (var key in map.Keys)
        {
            if (!IsVariableName(key))
            {
                host.Diagnostics.Error(DiagnosticCodes.InvalidName, $"variable name '{key}' is not valid: use letters, digits and '_', not starting with a digit", map.KeyLocation(key));
                continue;
            }

            if (map.String(key) is { } value) vars[key] = value;
        }

        return vars;
    }

    private static bool IsVariableName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string? AbsolutePath(YamlMap map, string key)
    {
        var value = map.String(key);
        if (value is null) return null;
        if (!value.StartsWith('/'))
        {
            map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{key}' in {map.Context} must be an absolute path on the hosts, not '{value}'", map.ValueLocation(key));
            return null;
        }

        return value.TrimEnd('/');
    }

    private static List<string> AbsolutePaths(YamlMap map, string key)
    {
        var list = new List<string>();
        foreach (var (value, at) in map.StringList(key, allowSingle: true))
        {
            if (value.StartsWith('/')) list.Add(value);
            else map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"each of '{key}' in {map.Context} must be an absolute path on the host, not '{value}'", at);
        }

        return list;
    }

    /// <summary>Parses or throws <see cref="InvalidInputException"/> with every error (warnings returned).</summary>
    public static Inventory ParseOrThrow(string text, string file, out IReadOnlyList<Diagnostic> warnings)
    {
        var diagnostics = new DiagnosticBag();
        var inventory = Parse(text, file, diagnostics);
        diagnostics.ThrowIfErrors();
        warnings = diagnostics.Sorted().Where(d => !d.IsError).ToList();
        return inventory;
    }
}
