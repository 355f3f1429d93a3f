namespace Slipway.Infrastructure.Operations;

/// <summary>How <c>exec</c> (stack mode and <c>deployment --dir D</c>) turns its arguments into the command it runs.</summary>
internal static class ExecCommandLine
{
    /// <summary>
    /// A single argument holding spaces is run by <c>sh -c</c>, as laconic-so runs every command, so its quoted
    /// one-liners keep working; anything else runs as the argv it is.
    /// </summary>
    public static IReadOnlyList<string> Argv(IReadOnlyList<string> command) =>
        command is [var only] && only.Any(char.IsWhiteSpace) ? ["sh", "-c", only] : command;
}
