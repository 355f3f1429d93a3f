using Slipway.Core.Diagnostics;

namespace Slipway.Core.Verification;

/// <summary>
/// One operator command of the spec's <c>hooks</c>: a string runs through <c>/bin/sh -c</c>, a list runs as that argv
/// (no shell). The operator wrote it, so the shell form is theirs to quote; Slipway never builds shell text.
/// </summary>
public sealed record HookCommand(IReadOnlyList<string> Argv, bool Shell, SourceLocation? Location = null)
{
    public static HookCommand ShellCommand(string text, SourceLocation? location = null) => new(["/bin/sh", "-c", text], true, location);

    /// <summary>The command as written: the shell text, or the argv joined by blanks.</summary>
    public string Text => Shell ? Argv[2] : string.Join(' ', Argv);
}
