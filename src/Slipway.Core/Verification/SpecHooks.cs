namespace Slipway.Core.Verification;

public enum SpecHookPhase
{
    PreDeploy,
    PostDeploy,
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
