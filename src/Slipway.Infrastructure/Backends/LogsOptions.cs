namespace Slipway.Infrastructure.Backends;

/// <summary>
/// What <c>logs</c> shows. With <see cref="Output"/> set (stdout is not a terminal) the lines pass through Slipway, which
/// takes out terminal control codes (compose writes <c>ESC[2K</c> before every line even with <c>--ansi never</c>);
/// otherwise the tool writes to the terminal itself.
/// </summary>
public sealed record LogsOptions(bool Follow, int? Tail, IReadOnlyList<string> Services)
{
    public Action<string>? Output { get; init; }

    public Action<string>? Error { get; init; }
}
