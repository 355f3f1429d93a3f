using System.Text.RegularExpressions;

namespace Slipway.Core;

/// <summary>Name rules shared by stacks, pods, services, volumes and config keys.</summary>
public static partial class Names
{
    /// <summary>Stack names end up in compose project names and Kubernetes namespaces.</summary>
    public static bool IsValidStackName(string name) => StackName().IsMatch(name);

    /// <summary>Pods, jobs, services and volumes: what compose itself accepts.</summary>
    public static bool IsValidComponentName(string name) => ComponentName().IsMatch(name);

    /// <summary>Environment variable names docker compose accepts in env files.</summary>
    public static bool IsValidEnvName(string name) => EnvName().IsMatch(name);

    /// <summary>
    /// Not a shell name but a key compose's env files and Kubernetes ConfigMaps still take (<c>test-variable-1</c>, which
    /// laconic-so's own test stack sets): kept, with a warning that compose files cannot substitute it.
    /// </summary>
    public static bool IsEnvFileOnlyName(string name) => !IsValidEnvName(name) && EnvFileName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*\\z")]
    private static partial Regex EnvFileName();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*\\z")]
    private static partial Regex StackName();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*\\z")]
    private static partial Regex ComponentName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex EnvName();
}
