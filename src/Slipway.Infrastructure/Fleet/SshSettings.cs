namespace Slipway.Infrastructure.Fleet;

/// <summary>How the orchestrator runs the system OpenSSH client (SLIPWAY_SSH, SLIPWAY_SSH_CONFIG; else `ssh` and ~/.ssh/config).</summary>
public sealed record SshSettings(string Executable = "ssh", string? ConfigFile = null)
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
