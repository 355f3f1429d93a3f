using Slipway.Core.Specs;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Deployments;

namespace Slipway.Infrastructure.Verification;

/// <summary>What a spec hook command runs with: the deployment's environment and where relative paths resolve.</summary>
internal sealed record SpecHookContext
{
    public required string DeploymentDirectory { get; init; }

    public required string DeploymentId { get; init; }

    /// <summary>Where the commands run: the git-tracked spec's folder (relative paths in the spec resolve there), else D.</summary>
    public required string WorkingDirectory { get; init; }

    public string? SpecFile { get; init; }

    public string? DeployTo { get; init; }

    /// <summary>The deployment's config (D/config.env), given to the commands as environment variables.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Config { get; init; } = [];

    /// <summary>Values redacted from logs and errors (generated secrets, env-file values).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>SLIPWAY_STAGE for the commands; by default apply for pre-deploy and verify for post-deploy.</summary>
    public string? Stage { get; init; }

    /// <summary>The context of an opened deployment: its config and secrets, run from the folder of its git-tracked spec.</summary>
    public static SpecHookContext For(DeploymentSession deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var specSource = deployment.Identity.SpecSource;
        var specFolder = specSource is null ? null : Path.GetDirectoryName(specSource);
        return new SpecHookContext
        {
            DeploymentDirectory = deployment.Layout.Directory,
            DeploymentId = deployment.Identity.DeploymentId,
            WorkingDirectory = specFolder is not null && Directory.Exists(specFolder) ? specFolder : deployment.Layout.Directory,
            SpecFile = specSource ?? deployment.Layout.Spec,
            DeployTo = deployment.Target.ToName(),
            Config = deployment.Config.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)).ToList(),
            Secrets = deployment.SecretValues,
        };
    }

    public IReadOnlyDictionary<string, string?> ToEnvironment(SpecHookPhase phase)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in Config) environment[key] = value;
        environment["SLIPWAY_STAGE"] = Stage ?? (phase == SpecHookPhase.PreDeploy ? "apply" : "verify");
        environment["SLIPWAY_HOOK"] = SpecHooks.ToName(phase);
        environment["SLIPWAY_DEPLOYMENT_DIR"] = DeploymentDirectory;
        environment["SLIPWAY_DEPLOYMENT_ID"] = DeploymentId;
        environment["SLIPWAY_SPEC"] = SpecFile;
        environment["SLIPWAY_DEPLOY_TO"] = DeployTo;
        return environment;
    }
}
