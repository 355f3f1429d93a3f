using Slipway.Core.Stacks;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.StackMode;

/// <summary>
/// Stack mode on the real Docker Engine: <c>slipway --stack S deploy up|ps|port|exec|logs|down</c> with no deployment
/// directory, over a two-pod stack of the hello image, with the group flags and laconic-so's default project name.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class StackModeTests : IAsyncLifetime
{
    private readonly TempWorkspace _workspace = new();
    private readonly List<string> _projects = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var project in _projects)
        {
            await Docker.RunAsync("compose", "--project-name", project, "down", "--volumes", "--remove-orphans", "--timeout", "2");
            foreach (var volume in await Docker.VolumesAsync(project)) await Docker.RunAsync("volume", "rm", "--force", volume);
        }

        _workspace.Dispose();
    }

    private string Stack()
    {
        _workspace.WriteFile("two/stack.yml", "version: \"1.0\"\nname: two\npods:\n  - front\n  - back\n");
        _workspace.WriteFile("two/compose/docker-compose-front.yml", """
            services:
              web:
                image: slipway/hello:local
                command: ["web"]
                init: true
                environment:
                  GREETING: ${GREETING:-unset}
                ports:
                  - "80"
            """);
        _workspace.WriteFile("two/compose/docker-compose-back.yml", """
            services:
              counter:
                image: slipway/hello:local
                command: ["counter"]
                init: true
                volumes:
                  - back-data:/data
            volumes:
              back-data:
            """);
        _workspace.WriteFile("greeting.env", "GREETING=from-the-env-file\n");
        return _workspace.Combine("two");
    }

    private string Track(string project)
    {
        _projects.Add(project);
        return project;
    }

    private static Task<CliResult> Slipway(string stack, params string[] args) => SlipwayCommand.RunAsync(["--stack", stack, "deploy", .. args]);

    [Fact]
    public async Task Up_runs_every_pod_as_laconic_sos_project_and_down_removes_it_with_its_volumes()
    {
        var stack = Stack();
        var project = Track(StackSelection.DefaultProjectName(stack, null, null));
        var env = _workspace.Combine("greeting.env");

        await Slipway(stack, "--env-file", env, "up");

        Assert.Equal(2, (await Docker.ContainerIdsAsync(project)).Count);
        var port = await Slipway(stack, "--env-file", env, "port", "web", "80");
        Assert.Contains("from-the-env-file", await Http.GetOkAsync(Http.BaseUrl(port.StandardOutput), "/"));

        var ps = await Slipway(stack, "ps", "--output", "json");
        Assert.Contains("\"web\"", ps.StandardOutput);
        Assert.Contains("\"counter\"", ps.StandardOutput);
        await Slipway(stack, "logs", "-n", "5", "counter");

        await Slipway(stack, "exec", "counter", "test -s /data/starts.log && echo ok >/data/exec-ran");
        var failed = await SlipwayCommand.RunAsync(3, "--stack", stack, "deploy", "exec", "counter", "sh", "-c", "exit 3");
        Assert.Equal(3, failed.ExitCode);
        Assert.NotEmpty(await Docker.VolumesAsync(project));

        await Slipway(stack, "down", "--delete-volumes", "2");

        Assert.Empty(await Docker.ContainerIdsAsync(project));
        Assert.Empty(await Docker.VolumesAsync(project));
    }

    [Fact]
    public async Task Include_runs_only_its_pods_in_a_project_of_their_own_and_cluster_names_the_project()
    {
        var stack = Stack();
        var included = Track(StackSelection.DefaultProjectName(stack, "back", null));
        var named = Track("slipway-stackmode-" + Guid.NewGuid().ToString("N")[..6]);

        await Slipway(stack, "--include", "back", "up");
        await Slipway(stack, "--cluster", named, "--exclude", "back", "up");

        Assert.Single(await Docker.ContainerIdsAsync(included));
        Assert.Single(await Docker.ContainerIdsAsync(named));
        Assert.NotEqual(StackSelection.DefaultProjectName(stack, null, null), included);
        // down of the other selection leaves this one running: each selection is its own project.
        await Slipway(stack, "--cluster", named, "down");
        Assert.Empty(await Docker.ContainerIdsAsync(named));
        Assert.Single(await Docker.ContainerIdsAsync(included));
        await Slipway(stack, "--include", "back", "down", "--delete-volumes");
        Assert.Empty(await Docker.VolumesAsync(included));
    }

    [Fact]
    public async Task Down_of_one_selection_under_a_shared_cluster_leaves_the_other_selections_pods_running()
    {
        var stack = Stack();
        var shared = Track("slipway-stackmode-" + Guid.NewGuid().ToString("N")[..6]);
        await Slipway(stack, "--cluster", shared, "--include", "front", "up");
        await Slipway(stack, "--cluster", shared, "--include", "back", "up");
        Assert.Equal(2, (await Docker.ContainerIdsAsync(shared)).Count);

        await Slipway(stack, "--cluster", shared, "--include", "front", "down", "2");

        // laconic-so's down names no orphans: the back pod's counter is another selection's, not this one's to remove.
        var left = await Docker.OutputAsync("ps", "--filter", $"label=com.docker.compose.project={shared}", "--format", "{{.Label \"com.docker.compose.service\"}}");
        Assert.Equal("counter", left.Trim());
    }

    [Fact]
    public async Task Bad_selections_and_missing_arguments_are_refused_before_compose_runs()
    {
        var stack = Stack();

        var typo = await SlipwayCommand.RunFailingAsync("--stack", stack, "deploy", "--include", "bakc", "up");
        Assert.Contains("the stack has no pod 'bakc'", typo.StandardError);
        Assert.Contains("did you mean 'back'?", typo.StandardError);

        var noStack = await SlipwayCommand.RunFailingAsync("deploy", "up");
        Assert.Contains("--stack is required", noStack.StandardError);

        var port = await SlipwayCommand.RunAsync(Cli.ExitCodes.UsageError, "--stack", stack, "deploy", "port", "web");
        Assert.Contains("port", port.StandardError);

        var service = await SlipwayCommand.RunFailingAsync("--stack", stack, "deploy", "logs", "wbe");
        Assert.Contains("did you mean 'web'?", service.StandardError);

        var misplaced = await SlipwayCommand.RunAsync(Cli.ExitCodes.UsageError, "--stack", stack, "deploy", "--include", "back", "init", "--output", _workspace.Combine("s.yml"));
        Assert.Contains("--include", misplaced.StandardError);
        Assert.Empty(await Docker.ContainerIdsAsync(StackSelection.DefaultProjectName(stack, "bakc", null)));
    }
}
