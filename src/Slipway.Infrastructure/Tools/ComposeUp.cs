namespace Slipway.Infrastructure.Tools;

/// <summary>What <c>docker compose up</c> is asked to do.</summary>
internal sealed record ComposeUp
{
    public bool Wait { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public bool ForceRecreate { get; init; }

    /// <summary><c>--no-deps</c>: only the services named, not what they depend on.</summary>
    public bool NoDeps { get; init; }

    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Remove containers of services the files no longer have; stack mode turns it off (a --cluster may hold other pods).</summary>
    public bool RemoveOrphans { get; init; } = true;

    /// <summary>One more compose file given on stdin (<c>--file -</c>), e.g. image pins a plan must not write to disk.</summary>
    public string? StandardInputFile { get; init; }

    /// <summary>Files after the project's (e.g. the pins file an apply writes).</summary>
    public IReadOnlyList<string> ExtraFiles { get; init; } = [];
}
