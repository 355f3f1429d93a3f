using Slipway.Core.Stacks;

namespace Slipway.Infrastructure.Hooks;

internal sealed record HookContext(string Stage)
{
    public string? DeploymentDirectory { get; init; }

    public string? DeploymentId { get; init; }

    public string? SpecFile { get; init; }

    public string? DeployTo { get; init; }

    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Where the hook runs; D when there is one, else the stack's folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>More variables for this hook (deploy setup's flags, create's --network-dir / --initial-peers).</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; init; } = new Dictionary<string, string?>();

    /// <summary>The hook's arguments (the extra arguments of deploy setup and deploy create).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string?> ToEnvironment(Stack stack, string hook)
    {
        var environment = Base(stack, hook);
        foreach (var (key, value) in Variables) environment[key] = value;
        return environment;
    }

    private Dictionary<string, string?> Base(Stack stack, string hook) => new()
    {
        ["SLIPWAY_STAGE"] = Stage,
        ["SLIPWAY_HOOK"] = hook,
        ["SLIPWAY_STACK"] = stack.Directory,
        ["SLIPWAY_STACK_NAME"] = stack.Name,
        ["SLIPWAY_DEPLOYMENT_DIR"] = DeploymentDirectory,
        ["SLIPWAY_DEPLOYMENT_ID"] = DeploymentId,
        ["SLIPWAY_SPEC"] = SpecFile,
        ["SLIPWAY_DEPLOY_TO"] = DeployTo,
    };
}
