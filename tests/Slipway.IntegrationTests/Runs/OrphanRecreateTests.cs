using System.Text.RegularExpressions;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.IntegrationTests.Pipeline;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Runs;

/// <summary>
/// kill -9 of slipway alone at the worst moment of a recreate: compose has made the new container under its temporary
/// name (<c>&lt;old id&gt;_&lt;name&gt;</c>) and is stopping the old one. The orphaned compose must finish that recreate
/// (its output no longer depends on the dead slipway), and resume must end with every service running.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed partial class OrphanRecreateTests(DockerFixture fixture)
{
    [Fact]
    public async Task A_compose_orphaned_mid_recreate_finishes_it_and_resume_ends_with_every_service_running()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(RunStacks.Pipeline, "spec.yml", "--config", "GREETING=v1,STOP_GRACE=6s", "--map-ports-to-host", "localhost-fixed-random");
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");

        using var child = ChildCli.Start("deployment", "--dir", d.Directory, "restart", "--force-recreate");
        var renamed = await WaitForTemporaryNameAsync(d.DeploymentId, child);
        var orphans = await child.KillAloneAsync();
        Assert.NotEmpty(orphans);

        // The orphan goes on with nobody reading its output: it must finish the recreate, not die of a broken pipe.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (orphans.Any(p => Directory.Exists($"/proc/{p}")) && DateTime.UtcNow < deadline) await Task.Delay(100);
        var names = await ContainerNamesAsync(d.DeploymentId);
        Assert.DoesNotContain(names, n => TemporaryName().IsMatch(n.Name));
        Assert.All(names, n => Assert.Equal("running", n.State));

        var resume = await d.RunAsync("resume");
        Assert.Equal("succeeded", RunFiles.Latest(d).GetProperty("state").GetString());
        var states = await d.StatusAsync();
        Assert.Equal([("sleeper", "running"), ("web", "running")], states.Select(s => (s.Service, s.State)).ToList());
        Assert.Equal(2, (await Docker.ContainerIdsAsync(d.DeploymentId)).Count);
        Assert.Contains("<h1>v1</h1>", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
        Assert.False(string.IsNullOrEmpty(renamed));
        Assert.DoesNotContain("rolled back", resume.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_recreate_left_half_done_by_a_killed_compose_is_put_right_by_resume_and_the_volume_keeps_its_data()
    {
        Assert.Contains("built slipway/hello:local", fixture.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var stack = Path.Combine(Paths.RepositoryRoot, "tests", "Slipway.IntegrationTests", "Runs", "Stacks", "recreate-volume");
        var spec = await ws.InitAsync(stack, "spec.yml", "--config", "VERSION=1,STOP_GRACE=8s");
        var d = await ws.CreateAsync(spec, "d");
        await d.RunAsync("start");
        var before = Assert.Single(await ContainerNamesAsync(d.DeploymentId));
        (await Docker.RunAsync("exec", before.Name, "/bin/sh", "-c", "echo kept > /data/proof")).ShouldSucceed();
        var text = await File.ReadAllTextAsync(spec);
        var changed = Regex.Replace(text, "(?m)^  VERSION: .*$", "  VERSION: \"2\"");
        Assert.NotEqual(text, changed);
        await File.WriteAllTextAsync(spec, changed);
        await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d.Directory, "--update");

        // The whole process group dies while compose holds the new container under its temporary name (stopping the old
        // one takes its 8 s grace): nothing is left to finish the recreate.
        using var child = ChildCli.Start("deployment", "--dir", d.Directory, "start");
        var renamed = await WaitForTemporaryNameAsync(d.DeploymentId, child);
        await child.KillAllAsync();
        Assert.Contains(await ContainerNamesAsync(d.DeploymentId), n => n.Name == renamed);

        var resume = await d.RunAsync("resume");

        var after = Assert.Single(await ContainerNamesAsync(d.DeploymentId));
        Assert.Equal((before.Name, "running"), after);
        Assert.Equal("succeeded", RunFiles.Latest(d).GetProperty("state").GetString());
        Assert.Contains($"left {renamed} (created), the new container it had made to replace {before.Name}", resume.StandardError);
        Assert.Contains("removed it (without its volumes", resume.StandardError);
        Assert.Contains("VERSION=2", await Docker.OutputAsync("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", after.Name));
        Assert.Equal("kept", (await Docker.OutputAsync("exec", after.Name, "cat", "/data/proof")).Trim());
    }

    /// <summary>Polls the project's containers until one carries compose's temporary recreate name; returns that name.</summary>
    private static async Task<string> WaitForTemporaryNameAsync(string project, ChildCli child)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var names = await ContainerNamesAsync(project);
            if (names.FirstOrDefault(n => TemporaryName().IsMatch(n.Name)) is { Name: { } name }) return name;
            await Task.Delay(20);
        }

        Assert.Fail("compose never gave a container its temporary recreate name:\n" + child.Output);
        return "";
    }

    private static async Task<IReadOnlyList<(string Name, string State)>> ContainerNamesAsync(string project) =>
        Docker.Lines(await Docker.OutputAsync("ps", "--all", "--format", "{{.Names}} {{.State}}", "--filter", $"label=com.docker.compose.project={project}"))
            .Select(l => l.Split(' ') is [var name, var state] ? (name, state) : (l, ""))
            .ToList();

    [GeneratedRegex("^[0-9a-f]{12}_")]
    private static partial Regex TemporaryName();
}
