using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.GitOps;

/// <summary>restart's laconic-so flags through the CLI: --spec-file from the stack's repository root, --stack-path, for one run.</summary>
[Collection(DockerCollection.Name)]
public sealed class RestartSourceFlagsTests
{
    [Fact]
    public async Task Restart_with_a_spec_file_from_the_repository_root_syncs_from_it_for_that_run_and_leaves_deployment_yml_alone()
    {
        await using var ws = new Workspace();
        var files = new Dictionary<string, string>();
        var stack = HelloCopy.Write(ws.Combine("hello-source"));
        foreach (var file in Directory.EnumerateFiles(stack, "*", SearchOption.AllDirectories)
                     .Where(f => !Path.GetRelativePath(stack, f).StartsWith("container-build", StringComparison.Ordinal)))
        {
            files["stacks/hello/" + Path.GetRelativePath(stack, file)] = await File.ReadAllTextAsync(file);
        }

        files["deployments/hello/spec.yml"] = HelloCopy.Spec("../../stacks/hello", "greeting v1");
        files["deployments/hello/other.yml"] = HelloCopy.Spec("../../stacks/hello", "greeting from the other spec");
        var author = await GitTestRepository.CreateAuthorAsync(ws.Path, "ops", files);
        var checkout = await GitTestRepository.CloneAsync(await author.RemoteAsync(), ws.Combine("ops-checkout"));
        var d = await ws.CreateAsync(checkout.Combine("deployments", "hello", "spec.yml"), "d");
        await d.RunAsync("start");
        var identity = await File.ReadAllTextAsync(d.File("deployment.yml"));

        var missing = await d.RunAsync(Cli.ExitCodes.NotFound, "restart", "--spec-file", "deployments/hello/nope.yml");
        var noStack = await d.RunAsync(Cli.ExitCodes.NotFound, "restart", "--stack-path", ws.Combine("nowhere"));
        var other = await d.RunAsync("restart", "--spec-file", "deployments/hello/other.yml", "--stack-path", checkout.Combine("stacks", "hello"));

        Assert.Contains($"--spec-file {checkout.Combine("deployments", "hello", "nope.yml")} does not exist", missing.StandardError);
        Assert.Contains($"a relative --spec-file is taken from the stack's repository root, {checkout.Path}", missing.StandardError);
        Assert.Contains($"--stack-path {ws.Combine("nowhere")} does not exist", noStack.StandardError);
        Assert.Contains($"syncing D from {checkout.Combine("deployments", "hello", "other.yml")} instead of spec-source", other.StandardError);
        Assert.Contains("greeting from the other spec", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));
        Assert.Equal(identity, await File.ReadAllTextAsync(d.File("deployment.yml")));

        // The next plain restart follows deployment.yml's spec-source again.
        await d.RunAsync("restart");
        Assert.Contains("greeting v1", await Http.GetOkAsync(await d.UrlAsync("web", 80), "/"));

        // The revision of the run with the flags says which stack and spec it came from; the next one does not.
        var history = await d.RunAsync("history", "--output", "json");
        using var json = System.Text.Json.JsonDocument.Parse(history.StandardOutput);
        var revisions = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["start", "restart", "restart"], revisions.Select(r => r.GetProperty("command").GetString()!));
        var flagged = revisions[1].GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(
            [("stack", checkout.Combine("stacks", "hello"), true), ("spec", checkout.Combine("deployments", "hello", "other.yml"), true)],
            flagged.Select(s => (s.GetProperty("role").GetString()!, s.GetProperty("path").GetString()!, s.GetProperty("override").GetBoolean())));
        Assert.All(revisions[2].GetProperty("sources").EnumerateArray(), s => Assert.False(s.GetProperty("override").GetBoolean()));
        Assert.Contains($"from {checkout.Combine("deployments", "hello", "other.yml")}", (await d.RunAsync("history")).StandardOutput);
    }
}
