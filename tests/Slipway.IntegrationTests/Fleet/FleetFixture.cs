namespace Slipway.IntegrationTests.Fleet;

/// <summary>
/// The three test hosts, ready for Slipway: the example image on each engine (docker save | ssh host docker load), a
/// `slipway` on the hosts that is this build's CLI, and SLIPWAY_SSH_CONFIG naming the hosts' ssh_config for the
/// orchestrator (the in-process CLI and child CLIs alike).
/// </summary>
public sealed class FleetFixture : FleetHosts
{
    public const string Image = "slipway/hello:local";

    /// <summary>The command the inventory gives as the hosts' `slipway`.</summary>
    public string Slipway => System.IO.Path.Combine(Root, "bin", "slipway");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await LoadImageAsync(Image);
        var dll = System.IO.Path.Combine(AppContext.BaseDirectory, "slipway.dll");
        await File.WriteAllTextAsync(Slipway, $"#!/bin/sh\nexec dotnet {dll} \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Slipway, (UnixFileMode)0b111_101_101);
        Environment.SetEnvironmentVariable("SLIPWAY_SSH_CONFIG", SshConfig);
    }

    public override async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("SLIPWAY_SSH_CONFIG", null);
        await base.DisposeAsync();
    }

    /// <summary>Removes every container, network and volume of the host engines (they exist only for these tests).</summary>
    public async Task WipeHostsAsync()
    {
        foreach (var host in Hosts)
        {
            var ids = (await host.DockerAsync("ps", "-aq")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0) await host.DockerAsync(["rm", "-f", "-v", .. ids]);
            await host.DockerAsync("network", "prune", "-f");
            await host.DockerAsync("volume", "prune", "-f");
        }
    }
}
