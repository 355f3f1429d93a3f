using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.Volumes;

/// <summary>
/// What a stack reaches of the host outside D: absolute binds, relative escapes and includes are legal compose and get
/// warnings naming them; a spec volume on a system folder mounted read-write is refused unless the spec marks it.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class HostAccessTests(DockerFixture fixture)
{
    [Fact]
    public async Task Absolute_binds_relative_escapes_and_includes_outside_D_are_warned_by_name_and_still_deploy()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var shared = ws.Combine("shared");
        Directory.CreateDirectory(shared);
        var include = ws.Combine("extra.yml");
        await File.WriteAllTextAsync(include, "services:\n  extra:\n    image: slipway/hello:local\n    entrypoint: [\"/bin/sleep\", \"3600\"]\n    stop_grace_period: 1s\n");
        var stack = WriteStack(ws, "reach", $$"""
            include:
              - {{include}}
            services:
              reach:
                image: slipway/hello:local
                entrypoint: ["/bin/sleep", "3600"]
                stop_grace_period: 1s
                volumes:
                  - /etc:/host-etc:ro
                  - {{shared}}:/shared
                  - ../../../../../../../../tmp:/host-tmp:ro
            """);
        var spec = await ws.InitAsync(stack, "spec.yml");

        var d = await ws.CreateAsync(spec, "d");
        var create = d.CreateResult.AllOutput;
        Assert.Contains("service 'reach' binds /etc (a system folder of the host) at /host-etc, read-only", create);
        Assert.Contains($"service 'reach' binds {shared} (an absolute host path outside the deployment directory) at /shared, read-write", create);
        Assert.Contains("add ':ro' unless the service must change", create);
        Assert.Contains("service 'reach' binds ../../../../../../../../tmp, which leaves the deployment directory (it resolves to /tmp)", create);
        Assert.Contains($"include of {include}: an absolute path outside the deployment directory", create);
        Assert.Contains("docker-compose-reach.yml:", create); // each warning points at the stack's file:line

        // Warnings, not refusals: the deployment starts with what the stack asked for.
        await d.RunAsync("start");
        Assert.Equal(["extra", "reach"], (await d.StatusAsync()).Select(s => s.Service).Order(StringComparer.Ordinal));
        await d.RunAsync("stop");
    }

    [Fact]
    public async Task A_spec_volume_on_a_system_folder_mounted_read_write_is_refused_unless_marked()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var stack = WriteStack(ws, "sys", """
            services:
              sys:
                image: slipway/hello:local
                entrypoint: ["/bin/sleep", "3600"]
                stop_grace_period: 1s
                volumes:
                  - host:/host
                  - config:/host-etc:ro
            volumes:
              host:
              config:
            """);
        var spec = await ws.InitAsync(stack, "spec.yml");
        var text = await File.ReadAllTextAsync(spec);
        var start = text.IndexOf("volumes:\n", StringComparison.Ordinal);
        Assert.True(start >= 0, text);
        await File.WriteAllTextAsync(spec, text[..start] + "volumes:\n  host: /\n  config: /etc\n");

        var refused = await SlipwayCommand.RunAsync(Cli.ExitCodes.InvalidInput, "deploy", "create", "--spec-file", spec, "--deployment-dir", ws.Combine("d"));
        Assert.Contains("volume 'host' is the host's system folder /, mounted read-write by 'sys'", refused.AllOutput);
        Assert.Contains("allow-system-write: true", refused.AllOutput);
        Assert.DoesNotContain("volume 'config'", refused.AllOutput); // /etc read-only is no refusal
        Assert.False(Directory.Exists(ws.Combine("d")), "a refused create left D behind");

        // Marked, the operator's choice stands; it is still named when the deployment is created.
        await File.WriteAllTextAsync(spec, text[..start] + "volumes:\n  host:\n    path: /\n    allow-system-write: true\n  config: /etc\n");
        var d = await ws.CreateAsync(spec, "d");
        Assert.Contains("host: host directory /", d.CreateResult.AllOutput);
        Assert.Contains("\"/\"", await File.ReadAllTextAsync(d.File("compose", "docker-compose-sys.yml")));
        await d.RunAsync("plan");
    }

    /// <summary>A one-pod stack written into the workspace (its compose file inside the stack folder).</summary>
    private static string WriteStack(Workspace ws, string name, string compose)
    {
        var root = ws.Combine("stacks", name);
        Directory.CreateDirectory(Path.Combine(root, "compose"));
        File.WriteAllText(Path.Combine(root, "stack.yml"), $"version: \"1.0\"\nname: {name}\npods:\n  - {name}\n");
        File.WriteAllText(Path.Combine(root, "compose", $"docker-compose-{name}.yml"), compose + "\n");
        return root;
    }
}
