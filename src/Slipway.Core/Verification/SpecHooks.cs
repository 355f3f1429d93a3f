using Slipway.Core.Diagnostics;

namespace Slipway.Core.Verification;

public enum SpecHookPhase
{
    PreDeploy,
    PostDeploy,
}

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

/// <summary>The spec's <c>hooks</c>: commands run before apply (<c>pre-deploy</c>) and after a verified apply (<c>post-deploy</c>).</summary>
public sealed record SpecHooks
{
    public static readonly SpecHooks None = new();

    public IReadOnlyList<HookCommand> PreDeploy { get; init; } = [];

    public IReadOnlyList<HookCommand> PostDeploy { get; init; } = [];

    public IReadOnlyList<HookCommand> For(SpecHookPhase phase) => phase == SpecHookPhase.PreDeploy ? PreDeploy : PostDeploy;

    public static string ToName(SpecHookPhase phase) => phase == SpecHookPhase.PreDeploy ? "pre-deploy" : "post-deploy";
}
