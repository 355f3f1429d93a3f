using Slipway.Core.Stacks;

namespace Slipway.Infrastructure.Hooks;

internal sealed record HookContext(string Stage)
{
    public string? DeploymentDirectory { get; init; }

    public string? DeploymentId { get; init; }

    public string? SpecFile { get; init; }

    public string? DeployTo { get; init; }

    public IReadOnlyList<string> Secrets { get; init; } = [];

    public IReadOnlyDictionary<string, string?> ToEnvironment(Stack stack, string hook) => new Dictionary<string, string?>
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
