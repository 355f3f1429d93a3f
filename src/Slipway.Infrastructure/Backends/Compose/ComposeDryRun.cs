using System.Text.RegularExpressions;

namespace Slipway.Infrastructure.Backends.Compose;

/// <summary>Reads compose's <c>--dry-run</c> progress lines into planned changes.</summary>
internal static partial class ComposeDryRun
{
    /// <summary>
    /// Reads compose's dry-run lines (<c>DRY-RUN MODE -  Container p-web-1  Recreate</c>): the first word compose
    /// says about each object is what would happen to it.
    /// </summary>
    public static IReadOnlyList<PlannedChange> Parse(string output, string project)
    {
        var changes = new Dictionary<(string Kind, string Name), PlannedChange>();
        foreach (var raw in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = DryRunLine().Match(raw);
            if (!match.Success) continue;
            var kind = match.Groups["kind"].Value.ToLowerInvariant();
            var name = match.Groups["name"].Value.Trim('"');
            if (kind == "container" && ContainerPrefix().IsMatch(name)) continue; // compose's temporary name during a recreate
            var action = match.Groups["verb"].Value switch
            {
                "Creating" or "Create" => "create",
                "Recreate" or "Recreating" => "recreate",
                "Running" => "unchanged",
                "Starting" or "Start" => "start",
                "Removing" or "Remove" or "Stopping" => "delete",
                "Pulling" or "Pull" => "pull",
                _ => null,
            };
            if (action is null || changes.ContainsKey((kind, name))) continue;
            var display = kind == "container" ? ServiceOf(name, project) : name.StartsWith(project + "_", StringComparison.Ordinal) ? name[(project.Length + 1)..] : name;
            changes[(kind, name)] = new PlannedChange(kind == "container" ? "service" : kind, display, action, kind == "container" ? name : null);
        }

        return changes.Values.OrderBy(c => c.Kind, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static string ServiceOf(string container, string project)
    {
        var name = container.StartsWith(project + "-", StringComparison.Ordinal) ? container[(project.Length + 1)..] : container;
        var dash = name.LastIndexOf('-');
        return dash > 0 && name[(dash + 1)..].All(char.IsAsciiDigit) ? name[..dash] : name;
    }

    [GeneratedRegex(@"DRY-RUN MODE -\s+(?<kind>Container|Network|Volume)\s+(?<name>\S+)\s+(?<verb>\w+)")]
    private static partial Regex DryRunLine();

    [GeneratedRegex(@"^[0-9a-f]{12}_")]
    private static partial Regex ContainerPrefix();
}
