namespace Slipway.Infrastructure.Fleet;

/// <summary>
/// How the orchestrator runs the system OpenSSH client (SLIPWAY_SSH, SLIPWAY_SSH_CONFIG; else `ssh` and ~/.ssh/config).
/// <see cref="Multiplex"/> (SLIPWAY_SSH_MULTIPLEX=0 turns it off): one shared connection per host and fleet command.
/// </summary>
public sealed record SshSettings(string Executable = "ssh", string? ConfigFile = null, bool Multiplex = true)
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a shared connection outlives its last session when the orchestrator did not close it (it was killed).</summary>
    public TimeSpan Persist { get; init; } = TimeSpan.FromSeconds(30);
}
