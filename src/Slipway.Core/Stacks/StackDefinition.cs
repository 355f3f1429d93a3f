using Slipway.Core.Diagnostics;

namespace Slipway.Core.Stacks;

/// <summary>A pod: one compose file. Either a name (<c>docker-compose-NAME.yml</c> in the stack's compose/) or a pod from another repository.</summary>
public sealed record PodReference(string Name, SourceLocation Location)
{
    public string? Repository { get; init; }

    public string? Path { get; init; }

    public string? PreStartCommand { get; init; }

    public string? PostStartCommand { get; init; }

    /// <summary>True for a pod that lives in another repository (laconic-so's dict form with a repository).</summary>
    public bool IsExternal => Repository is not null && Repository != "internal";
}

/// <summary>The parsed <c>stack.yml</c>, in laconic-so's format.</summary>
public sealed record StackDefinition
{
    public required string FilePath { get; init; }

    public string? Version { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Repos { get; init; } = [];

    public IReadOnlyList<string> Containers { get; init; } = [];

    public IReadOnlyList<string> Npms { get; init; } = [];

    public IReadOnlyList<PodReference> Pods { get; init; } = [];

    public IReadOnlyList<string> Jobs { get; init; } = [];

    /// <summary>The <c>config:</c> directives: values handed from one service to another after up.</summary>
    public IReadOnlyList<ConfigDirective> Config { get; init; } = [];
}
