namespace Slipway.Core.Deployments;

/// <summary>The files and folders of a deployment directory D, in one place.</summary>
public sealed class DeploymentLayout(string directory)
{
    public const string DeploymentFileName = "deployment.yml";
    public const string StateFolder = ".slipway";
    public const string DataFolder = "data";
    public const string OverridesFolder = "overrides";

    /// <summary>The secret key of the pod templates' config hash, inside <see cref="StateFolder"/>.</summary>
    public const string ConfigHashKeyFileName = "config-hash-key";

    /// <summary>Never written by <c>deploy create --update</c>: the operator's data, host-local overrides, identity and state.</summary>
    public static readonly IReadOnlyList<string> ProtectedTopLevel = [DataFolder, OverridesFolder, DeploymentFileName, StateFolder];

    public string Directory { get; } = Path.GetFullPath(directory);

    public string DeploymentFile => Path.Combine(Directory, DeploymentFileName);

    public string Spec => Path.Combine(Directory, "spec.yml");

    public string StackFile => Path.Combine(Directory, "stack.yml");

    public string ConfigEnv => Path.Combine(Directory, "config.env");

    public string ComposeFolder => Path.Combine(Directory, "compose");

    public string ComposeJobsFolder => Path.Combine(Directory, "compose-jobs");

    public string OverridesFolderPath => Path.Combine(Directory, OverridesFolder);

    public string State => Path.Combine(Directory, StateFolder);

    public string Logs => Path.Combine(State, "logs");

    public string ConfigHashKey => Path.Combine(State, ConfigHashKeyFileName);

    /// <summary>Where D was when it was last rendered (deploy create, create --update): a moved D is told by it.</summary>
    public string CreatedIn => Path.Combine(State, "created-in");

    public string PodComposeFile(string pod) => Path.Combine(Directory, PodComposePath(pod));

    public string JobComposeFile(string job) => Path.Combine(Directory, JobComposePath(job));

    /// <summary>A pod's rendered compose file, relative to D with '/' separators (how rendered files are named).</summary>
    public static string PodComposePath(string pod) => $"compose/docker-compose-{pod}.yml";

    /// <summary>A job's rendered compose file, relative to D with '/' separators.</summary>
    public static string JobComposePath(string job) => $"compose-jobs/docker-compose-{job}.yml";

    /// <summary>True when a path relative to D is one that updates must leave alone.</summary>
    public static bool IsProtected(string relativePath)
    {
        var first = relativePath.Replace('\\', '/').Split('/')[0];
        return ProtectedTopLevel.Contains(first);
    }
}
