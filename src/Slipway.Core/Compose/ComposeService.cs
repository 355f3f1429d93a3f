using Slipway.Core.Diagnostics;

namespace Slipway.Core.Compose;

/// <summary>
/// One service of a compose file, as <see cref="ComposeParser"/> read it: everything Slipway acts on, parsed once. Texts
/// are as written (interpolated by whoever renders them). The YAML stays with <see cref="ComposeFile.Root"/>, which
/// the compose renderer copies so that the keys Slipway does not know survive.
/// </summary>
public sealed record ComposeService(string Name, SourceLocation Location)
{
    public string? Image { get; init; }

    /// <summary><c>environment:</c> in file order.</summary>
    public IReadOnlyList<EnvironmentEntry> Environment { get; init; } = [];

    public IReadOnlyList<ServiceMount> Mounts { get; init; } = [];

    /// <summary>Port entries, after interpolation with the parser's lookup.</summary>
    public IReadOnlyList<PortSpec> Ports { get; init; } = [];

    /// <summary>The same entries as written: a short-syntax string before interpolation, a long-syntax entry as short text.</summary>
    public IReadOnlyList<string> PortTexts { get; init; } = [];

    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary><c>entrypoint:</c> as words (a string is split as a shell would, without expansion); null when absent.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary><c>command:</c> as words, like <see cref="Entrypoint"/>.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    public string? WorkingDir { get; init; }

    /// <summary>compose <c>healthcheck</c>: null when absent; <see cref="ComposeHealthcheck.Disabled"/> for <c>disable: true</c> or <c>test: NONE</c>.</summary>
    public ComposeHealthcheck? Healthcheck { get; init; }

    public string? User { get; init; }

    public bool Privileged { get; init; }

    /// <summary><c>cap_add:</c> as written (with or without the <c>CAP_</c> prefix).</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary><c>profiles:</c>; a service with one does not run by default (Slipway never sets COMPOSE_PROFILES).</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    public string? NetworkMode { get; init; }

    /// <summary><c>container_name:</c>; a service with one cannot run two containers at once.</summary>
    public string? ContainerName { get; init; }

    /// <summary><c>expose:</c> entries as written.</summary>
    public IReadOnlyList<string> Expose { get; init; } = [];

    /// <summary><c>tmpfs:</c> targets; null when the service has no <c>tmpfs</c> key.</summary>
    public IReadOnlyList<string>? Tmpfs { get; init; }

    /// <summary><c>deploy.resources</c>; null when absent.</summary>
    public ComposeResources? Resources { get; init; }

    /// <summary>Every variable the service's definition interpolates (<c>${VAR}</c>), so config changes can be traced to services.</summary>
    public IReadOnlyList<string> Variables { get; init; } = [];

    /// <summary>
    /// The keys of the deployment's config the service consumes: interpolated anywhere in its definition (defaults
    /// included), or named without a value in its environment (filled from config). Sorted.
    /// </summary>
    public IReadOnlyList<string> ConsumedKeys(IReadOnlyDictionary<string, string> config)
    {
        var keys = new SortedSet<string>(Variables.Where(config.ContainsKey), StringComparer.Ordinal);
        keys.UnionWith(Environment.Where(e => e.Value is null && config.ContainsKey(e.Key)).Select(e => e.Key));
        return [.. keys];
    }

    /// <summary>
    /// Where the service reads config from, as written: the sources of its relative binds (files or folders beside the
    /// stack's compose files) and its env_file entries (located at the service).
    /// </summary>
    public IEnumerable<(string Source, SourceLocation Location)> ConfigSources =>
        Mounts.Where(m => m.Kind == MountKind.Bind && m.Source is not null && m.Source.StartsWith('.')).Select(m => (m.Source!, m.Location))
            .Concat(EnvFiles.Select(e => (e, Location)));
}
