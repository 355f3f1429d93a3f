using System.Text.RegularExpressions;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Backends.Compose;

/// <summary>
/// What a <c>docker compose up</c> killed in the middle of a recreate leaves, put right without losing data. Compose
/// (2.20 and later) recreates a container in four steps: it creates the new one under the temporary name
/// <c>&lt;old id, 12 digits&gt;_&lt;name&gt;</c> (inheriting the old one's anonymous volumes), stops the old one, removes
/// it, and renames the new one to <c>&lt;name&gt;</c>; older composes stopped the old one and gave it the temporary name
/// instead, then created the new one and removed the old. Killed in between, a container keeps the temporary name: the
/// next compose up starts it under that name (never renamed), or finds two containers in one slot.
/// Containers are disposable, volumes are not: nothing here removes a volume (never <c>docker rm -v</c>) or a running
/// container, and a container is removed only while the other container of its slot still exists and holds the volumes.
/// </summary>
internal static partial class InterruptedRecreate
{
    public static async Task<IReadOnlyList<string>> RepairAsync(Docker docker, string project, CancellationToken cancellationToken)
    {
        var ps = await docker.RunAsync(["ps", "--all", "--no-trunc", "--filter", $"label=com.docker.compose.project={project}",
            "--format", "{{.ID}}\t{{.Names}}\t{{.State}}"], cancellationToken, TimeSpan.FromSeconds(30));
        if (!ps.Succeeded) return [$"could not look for a recreate a killed compose left half-done: docker ps failed: {ps.Tail(1)}"];
        var containers = ps.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 3)
            .Select(parts => new Container(parts[0], parts[1], parts[2]))
            .ToList();
        var done = new List<string>();
        foreach (var temporary in containers)
        {
            if (TemporaryName().Match(temporary.Name) is not { Success: true } match) continue;
            var replaced = match.Groups["id"].Value;
            var name = match.Groups["name"].Value;
            var holder = containers.FirstOrDefault(c => c.Name == name);
            var left = $"a compose killed in the middle of a recreate left {temporary.Name} ({temporary.State})";
            if (temporary.Id.StartsWith(replaced, StringComparison.Ordinal))
            {
                // An older compose's: the temporary name is the old container's own.
                done.Add(holder is not null
                    ? await RemoveAsync(docker, temporary, $"{left}, the old container of {name}, beside its replacement {name} ({holder.State})", name, cancellationToken)
                    : await RenameAsync(docker, temporary, name, $"{left}, the old container of {name}, whose replacement was never made", "back to", cancellationToken));
                continue;
            }

            var old = containers.FirstOrDefault(c => c.Id.StartsWith(replaced, StringComparison.Ordinal));
            if (old is not null)
            {
                done.Add(await RemoveAsync(docker, temporary, $"{left}, the new container it had made to replace {old.Name} ({old.State})", old.Name, cancellationToken));
            }
            else if (holder is null)
            {
                done.Add(await RenameAsync(docker, temporary, name, $"{left}, the new container of {name}; the old one was already removed", "to", cancellationToken));
            }
            else
            {
                done.Add($"{left} beside {name} ({holder.State}), which is not the container it replaced: both left alone ('deployment ps' shows them)");
            }
        }

        return done;
    }

    /// <summary>Removes a container whose slot has another (which holds the slot's anonymous volumes): never a running one, never its volumes.</summary>
    private static async Task<string> RemoveAsync(Docker docker, Container container, string what, string other, CancellationToken cancellationToken)
    {
        if (container.State == "running") return $"{what}: it runs, so it was left alone";
        var rm = await docker.RunAsync(["rm", container.Id], cancellationToken, TimeSpan.FromMinutes(1));
        return rm.Succeeded
            ? $"{what}: removed it (without its volumes: {other} keeps them), and the apply brings the service to D"
            : $"{what}: could not remove it: {rm.Tail(1)}";
    }

    /// <summary>Gives a container the slot's own name, the step compose did not get to.</summary>
    private static async Task<string> RenameAsync(Docker docker, Container container, string name, string what, string how, CancellationToken cancellationToken)
    {
        var rename = await docker.RunAsync(["rename", container.Id, name], cancellationToken, TimeSpan.FromMinutes(1));
        return rename.Succeeded
            ? $"{what}: renamed it {how} {name}, as compose would have, and the apply brings the service to D"
            : $"{what}: could not rename it {how} {name}: {rename.Tail(1)}";
    }

    private sealed record Container(string Id, string Name, string State);

    /// <summary>compose's temporary name: the replaced container's id (its first 12 hex digits), an underscore, the container's name.</summary>
    [GeneratedRegex("^(?<id>[0-9a-f]{12})_(?<name>.+)$")]
    private static partial Regex TemporaryName();
}
