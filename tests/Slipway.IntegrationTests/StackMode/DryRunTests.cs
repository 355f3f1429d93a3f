using Slipway.Core.Stacks;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.StackMode;

/// <summary>The global --dry-run: says what would run, runs nothing, writes nothing; refused where it would be a lie.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class DryRunTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private string Stack()
    {
        _workspace.WriteFile("dry/stack.yml", "version: \"1.0\"\nname: dry\npods:\n  - web\n");
        _workspace.WriteFile("dry/compose/docker-compose-web.yml", "services:\n  web:\n    image: slipway/hello:local\n    command: [\"web\"]\n");
        return _workspace.Combine("dry");
    }

    [Fact]
    public async Task Dry_run_up_tells_the_compose_command_and_starts_nothing()
    {
        var stack = Stack();
        var project = StackSelection.DefaultProjectName(stack, null, null);

        var result = await SlipwayCommand.RunAsync("--dry-run", "--stack", stack, "deploy", "up");

        Assert.Contains($"Dry run: would run: docker compose --ansi never --project-name {project}", result.StandardError);
        Assert.Contains("up --detach", result.StandardError);
        Assert.Contains("nothing was started", result.StandardError);
        Assert.Empty(await Docker.ContainerIdsAsync(project));
    }

    [Fact]
    public async Task Dry_run_create_lists_the_files_and_writes_no_deployment_directory()
    {
        var stack = Stack();
        var spec = _workspace.WriteFile("spec.yml", $"stack: {stack}\ndeploy-to: compose\n");

        var result = await SlipwayCommand.RunAsync("--dry-run", "deploy", "create", "--spec-file", spec, "--deployment-dir", _workspace.Combine("d"));

        Assert.Contains("Dry run: would create", result.StandardError);
        Assert.Contains("compose/docker-compose-web.yml", result.StandardError);
        Assert.False(Directory.Exists(_workspace.Combine("d")));
    }

    [Fact]
    public async Task Dry_run_of_a_deployment_verb_is_refused_and_points_at_plan()
    {
        var result = await SlipwayCommand.RunAsync(Cli.ExitCodes.UsageError, "--dry-run", "deployment", "--dir", _workspace.Combine("d"), "start");

        Assert.Contains("--dry-run is supported by deploy", result.StandardError);
        Assert.Contains("deployment --dir D plan", result.StandardError);
    }

    [Fact]
    public async Task Local_stack_outside_a_stack_orchestrator_checkout_is_a_usage_error()
    {
        var result = await SlipwayCommand.RunAsync(Cli.ExitCodes.UsageError, "--local-stack", "--stack", Stack(), "deploy", "ps");

        Assert.Contains("not inside a stack-orchestrator checkout", result.StandardError);
    }
}
